/**
 * The command kit's conformance check for an entry point's tests: every registered command
 * answers `--help` with its usage (exit 0) and names an unknown flag (exit 2).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { CommandRegistry } from "./command.ts";
import { memoryOutput, type Output } from "./output.ts";

/**
 * Asserts the kit's rules on every command of `registry`, run through `main`.
 *
 * @param registry The entry point's commands.
 * @param main Runs a command line with an output, returns the exit code.
 */
export async function assertKitRules(
  registry: CommandRegistry,
  main: (argv: string[], out: Output) => Promise<number>,
): Promise<void> {
  for (const name of Object.keys(registry)) {
    const help = memoryOutput();
    assert.equal(await main([name, "--help"], help), 0, `${name}: ${help.err.join("\n")}`);
    assert.match(help.out.join("\n"), /usage/i, name);
    const bad = memoryOutput();
    assert.equal(await main([name, "--no-such-flag"], bad), 2, name);
    assert.match(bad.err.join("\n"), new RegExp(`^${name}: unknown option --no-such-flag`), name);
  }
}
