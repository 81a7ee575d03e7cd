import assert from "node:assert/strict";
import { runCommand } from "../infra/cli/command.ts";
import { assertKitRules } from "../infra/cli/kit_check.ts";
import { memoryOutput } from "../infra/cli/output.ts";
import { WEB_COMMANDS } from "./main.ts";

const INFO = { program: "deno run -A web/main.ts", secrets: [] };

Deno.test("every web command answers --help (exit 0) and names a bad flag or value (exit 2)", async () => {
  await assertKitRules(WEB_COMMANDS, (argv, out) => runCommand(WEB_COMMANDS, argv, INFO, out));
  const port = memoryOutput();
  assert.equal(await runCommand(WEB_COMMANDS, ["dashboard", "--port", "99999"], INFO, port), 2);
  assert.match(port.err.join("\n"), /--port: expected a whole number <= 65535, got 99999/);
});
