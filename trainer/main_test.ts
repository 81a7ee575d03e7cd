import assert from "node:assert/strict";
import { assertKitRules } from "../infra/cli/kit_check.ts";
import { memoryOutput } from "../infra/cli/output.ts";
import { main, TRAINER_COMMANDS } from "./main.ts";

Deno.test("every trainer command answers --help (exit 0) and names a bad flag (exit 2)", async () => {
  await assertKitRules(TRAINER_COMMANDS, main);
  const usage = memoryOutput();
  assert.equal(await main(["train", "--epochs", "many"], usage), 2);
  assert.match(usage.err.join("\n"), /Invalid --epochs: many is not a number/);
  assert.equal(await main(["nope"], usage), 2);
  assert.match(usage.err.at(-1)!, /unknown command "nope"[^]*backtest/);
});
