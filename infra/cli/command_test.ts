import assert from "node:assert/strict";
import { ConfigError } from "../../core/errors.ts";
import { type CommandRegistry, runCommand } from "./command.ts";
import { parseFlags } from "./flags.ts";
import { memoryOutput } from "./output.ts";

const REGISTRY: CommandRegistry = {
  echo: {
    summary: "print the value",
    run: (args, out) => {
      const { values } = parseFlags(args, {
        usage: "usage: echo --value V",
        options: { value: { type: "string" } },
      });
      if (values.value === "config") throw new ConfigError("c.yaml", ["a.b: bad"]);
      if (values.value === "boom") throw new Error("it broke; url postgres://u:hunter2@h/db");
      out.stdout(`value ${values.value} secret-token`);
      return Promise.resolve(0);
    },
  },
};
const INFO = { program: "tool", secrets: ["secret-token"] };

Deno.test("runCommand(): exit 0 and output redacted; --help prints the usage on stdout", async () => {
  const out = memoryOutput();
  assert.equal(await runCommand(REGISTRY, ["echo", "--value", "x"], INFO, out), 0);
  assert.deepEqual(out.out, ["value x ***"]);
  const help = memoryOutput();
  assert.equal(await runCommand(REGISTRY, ["echo", "--help"], INFO, help), 0);
  assert.deepEqual(help.out, ["usage: echo --value V"]);
  assert.equal(await runCommand(REGISTRY, ["--help"], INFO, help), 0);
  assert.match(help.out.at(-1)!, /usage: tool <command>[^]*echo +print the value/);
});

Deno.test("runCommand(): bad usage exits 2 naming the flag or command; a failure exits 1", async () => {
  const out = memoryOutput();
  assert.equal(await runCommand(REGISTRY, ["echo", "--valu", "x"], INFO, out), 2);
  assert.match(
    out.err.at(-1)!,
    /^echo: unknown option --valu \(did you mean --value\?\)\nusage: echo/,
  );
  assert.equal(await runCommand(REGISTRY, ["nope"], INFO, out), 2);
  assert.match(out.err.at(-1)!, /^unknown command "nope"\nusage: tool <command>/);
  assert.equal(await runCommand(REGISTRY, [], INFO, out), 2);
  assert.match(out.err.at(-1)!, /^no command given/);
  assert.equal(await runCommand(REGISTRY, ["echo", "--value", "config"], INFO, out), 2);
  assert.equal(out.err.at(-1), "Invalid configuration in c.yaml:\n  a.b: bad");
  assert.equal(await runCommand(REGISTRY, ["echo", "--value", "boom"], INFO, out), 1);
  assert.equal(out.err.at(-1), "echo failed: it broke; url postgres://u:***@h/db");
});
