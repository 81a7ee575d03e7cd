import assert from "node:assert/strict";
import { runCommand } from "../infra/cli/command.ts";
import { memoryOutput } from "../infra/cli/output.ts";
import { WEB_COMMANDS } from "./main.ts";

const INFO = { program: "deno run -A web/main.ts", secrets: [] };

Deno.test("every web command answers --help (exit 0) and names a bad flag or value (exit 2)", async () => {
  for (const name of Object.keys(WEB_COMMANDS)) {
    const help = memoryOutput();
    assert.equal(await runCommand(WEB_COMMANDS, [name, "--help"], INFO, help), 0, name);
    assert.match(help.out.join("\n"), /usage: deno task dashboard/, name);
    const bad = memoryOutput();
    assert.equal(await runCommand(WEB_COMMANDS, [name, "--no-such-flag"], INFO, bad), 2, name);
    assert.match(bad.err.join("\n"), new RegExp(`^${name}: unknown option --no-such-flag`));
  }
  const port = memoryOutput();
  assert.equal(await runCommand(WEB_COMMANDS, ["dashboard", "--port", "99999"], INFO, port), 2);
  assert.match(port.err.join("\n"), /--port: expected a whole number <= 65535, got 99999/);
});
