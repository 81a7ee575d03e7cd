import assert from "node:assert/strict";
import { memoryOutput } from "../infra/cli/output.ts";
import { main, TRAINER_COMMANDS } from "./main.ts";

Deno.test("every trainer command answers --help (exit 0) and names a bad flag (exit 2)", async () => {
  for (const name of Object.keys(TRAINER_COMMANDS)) {
    const help = memoryOutput();
    assert.equal(await main([name, "--help"], help), 0, `${name}: ${help.err.join("\n")}`);
    assert.match(help.out.join("\n"), /usage/i, name);
    const bad = memoryOutput();
    assert.equal(await main([name, "--no-such-flag"], bad), 2, name);
    assert.match(bad.err.join("\n"), new RegExp(`^${name}: unknown option --no-such-flag`), name);
  }
  const usage = memoryOutput();
  assert.equal(await main(["train", "--epochs", "many"], usage), 2);
  assert.match(usage.err.join("\n"), /Invalid --epochs: many is not a number/);
  assert.equal(await main(["nope"], usage), 2);
  assert.match(usage.err.at(-1)!, /unknown command "nope"[^]*backtest/);
});
