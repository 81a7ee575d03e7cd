/**
 * The command kit's dispatcher: one registry of commands per runtime entry point
 * (`edge/main.ts`, `trainer/main.ts`, `web/main.ts`), one rule for exit codes:
 *
 * - 0: done; `--help` prints the command's usage on stdout;
 * - 1: the command failed at run time (`<command> failed: <message>` on stderr);
 * - 2: bad usage (unknown command or flag, missing value) or invalid configuration: one
 *   message on stderr naming what is wrong, no stack trace.
 *
 * Everything printed goes through {@linkcode redactingOutput}, so no secret reaches a log.
 *
 * @module
 */

import { ConfigError } from "../../core/errors.ts";
import { knownSecretValues } from "../config/secrets.ts";
import { consoleOutput, type Output, redactingOutput } from "./output.ts";
import { HelpRequested, UsageError } from "./usage_error.ts";

/** One command of an entry point. */
export interface Command {
  /** One line for the command list. */
  readonly summary: string;
  /** Runs it with the arguments after its name; returns the exit code. */
  readonly run: (args: string[], out: Output) => Promise<number>;
}

/** An entry point's commands by name. */
export type CommandRegistry = Readonly<Record<string, Command>>;

/** How the entry point is invoked, for messages (`deno run -A edge/main.ts`). */
export interface ProgramInfo {
  /** The invocation, e.g. `deno run -A edge/main.ts`. */
  readonly program: string;
  /** Secret values to redact (default: the environment's and `.env`'s). */
  readonly secrets?: readonly string[];
}

/**
 * The list of commands, as `--help` and a usage error print it.
 *
 * @param registry The commands.
 * @param info The invocation.
 */
export function commandList(registry: CommandRegistry, info: ProgramInfo): string {
  const width = Math.max(8, ...Object.keys(registry).map((k) => k.length));
  return `usage: ${info.program} <command> [options]   (<command> --help for its options)\n${
    Object.entries(registry).map(([k, c]) => `  ${k.padEnd(width)} ${c.summary}`).join("\n")
  }`;
}

/**
 * Runs one command of a registry and maps its outcome to an exit code.
 *
 * @param registry The entry point's commands.
 * @param argv The command name, then its arguments.
 * @param info The invocation (for messages) and secrets to redact.
 * @param out Where to print. Default the console.
 * @returns The exit code (0, 1 or 2).
 */
export async function runCommand(
  registry: CommandRegistry,
  argv: readonly string[],
  info: ProgramInfo,
  out: Output = consoleOutput(),
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    out.stdout(commandList(registry, info));
    return 0;
  }
  const command = name !== undefined && Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!command) {
    out.stderr(
      `${name === undefined ? "no command given" : `unknown command "${name}"`}\n${
        commandList(registry, info)
      }`,
    );
    return 2;
  }
  out = redactingOutput(out, info.secrets ?? await knownSecretValues());
  try {
    return await command.run(rest, out);
  } catch (e) {
    if (e instanceof HelpRequested) {
      out.stdout(e.usage);
      return 0;
    }
    if (e instanceof UsageError) {
      out.stderr(`${name}: ${e.message}`);
      return 2;
    }
    if (e instanceof ConfigError) {
      out.stderr(e.message); // it names the file and each key path
      return 2;
    }
    out.stderr(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/**
 * Runs a stand-alone script (a benchmark kept in its own file) under the same rules as a
 * registered command.
 *
 * @param name The script's name for messages, e.g. `bench:portfolio`.
 * @param command What it does.
 * @param argv Its arguments. Default `Deno.args`.
 * @returns The exit code.
 */
export function runScript(
  name: string,
  command: Command,
  argv: readonly string[] = Deno.args,
): Promise<number> {
  return runCommand({ [name]: command }, [name, ...argv], { program: `deno task ${name}` });
}
