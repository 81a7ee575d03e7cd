/**
 * The command kit for a stand-alone benchmark script with top-level code (`deno task bench:*`):
 * the same parser and the same exit rule as a registered command, applied to `Deno.args`.
 *
 * @module
 */

import { type FlagSpec, type FlagsSpec, type ParsedFlags, parseFlags } from "./flags.ts";
import { HelpRequested, UsageError } from "./usage_error.ts";

/**
 * Parses a script's arguments; `--help` prints the usage and exits 0, bad usage prints the
 * message (naming the flag) on stderr and exits 2.
 *
 * @param name The script's name for messages (e.g. `bench:portfolio`).
 * @param spec Flags, positionals, usage.
 * @param argv Arguments. Default `Deno.args`.
 * @returns Values and positionals.
 */
export function scriptFlags<const O extends Record<string, FlagSpec>>(
  name: string,
  spec: FlagsSpec<O>,
  argv: readonly string[] = Deno.args,
): ParsedFlags<O> {
  return scriptUsage(name, () => parseFlags(argv, { name: `deno task ${name}`, ...spec }));
}

/**
 * Runs `f` (parsing or checking a script's flags) under the kit's rule: `--help` prints the
 * usage and exits 0, a {@linkcode UsageError} prints its message on stderr and exits 2.
 *
 * @param name The script's name for messages.
 * @param f What to run.
 * @returns What `f` returns.
 */
export function scriptUsage<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof HelpRequested) {
      console.log(e.usage);
      Deno.exit(0);
    }
    if (e instanceof UsageError) {
      console.error(`${name}: ${e.message}`);
      Deno.exit(2);
    }
    throw e;
  }
}
