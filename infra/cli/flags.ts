/**
 * The one option parser of every command (node:util `parseArgs` under it), with one spelling
 * convention: flags are kebab-case (`--batch-size`, `--run-id`). The old snake_case spelling of
 * a kebab flag (`--batch_size`) still works as a deprecated alias and prints a warning, so
 * existing scripts keep running. Every command gets `--help`/`-h`. Bad usage is a
 * {@linkcode UsageError} naming the flag (exit 2).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { HelpRequested, UsageError } from "./usage_error.ts";

/** One flag: node:util's option plus a help line. */
export interface FlagSpec {
  /** A value (`--store PATH`) or a switch (`--json`). */
  readonly type: "string" | "boolean";
  /** May be given more than once (values collected in order). */
  readonly multiple?: boolean;
  /** One-letter alias. */
  readonly short?: string;
  /** Value when absent. */
  readonly default?: string | boolean | string[] | boolean[];
  /** One line for the generated help (when the command has no usage text of its own). */
  readonly help?: string;
}

/** What a command accepts. */
export interface FlagsSpec<O extends Record<string, FlagSpec>> {
  /** The flags, by kebab-case name. */
  readonly options: O;
  /** Whether arguments other than flags are accepted. Default false. */
  readonly allowPositionals?: boolean;
  /** The help text (`--help` prints it; usage errors end with it). Generated when absent. */
  readonly usage?: string;
  /** The command's name, for the generated help. */
  readonly name?: string;
}

type Value<F extends FlagSpec> = F["type"] extends "boolean" ? boolean : string;
type Typed<F extends FlagSpec> = F["multiple"] extends true ? Value<F>[] : Value<F>;
/** Flags with a default are always set; the others are absent when not given. */
type Values<O extends Record<string, FlagSpec>> =
  & { -readonly [K in keyof O as O[K] extends { default: unknown } ? K : never]: Typed<O[K]> }
  & { -readonly [K in keyof O as O[K] extends { default: unknown } ? never : K]?: Typed<O[K]> };

/** Parsed flags and positionals. */
export interface ParsedFlags<O extends Record<string, FlagSpec>> {
  /** Flag values by name (defaults applied). */
  readonly values: Values<O>;
  /** Arguments that are not flags. */
  readonly positionals: string[];
}

/** Where deprecation warnings go (stderr by default; tests swap it). */
export const flagWarnings = { warn: (line: string): void => console.error(line) };

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Parses a command's arguments.
 *
 * @param args The arguments after the command name.
 * @param spec Flags, positionals, usage.
 * @returns Values and positionals.
 * @throws {HelpRequested} On `--help` or `-h`.
 * @throws {UsageError} On an unknown flag, a missing value, a value given to a switch, or an
 *   unexpected argument; the message names it and ends with the usage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./flags.ts";
 * const { values } = parseFlags(["--run-id", "r1"], { options: { "run-id": { type: "string" } } });
 * assert.equal(values["run-id"], "r1");
 * ```
 */
export function parseFlags<const O extends Record<string, FlagSpec>>(
  args: readonly string[],
  spec: FlagsSpec<O>,
): ParsedFlags<O> {
  for (const name of Object.keys(spec.options)) {
    if (!KEBAB.test(name)) {
      throw new TypeError(`flag --${name} is not kebab-case (the kit's one spelling convention)`);
    }
  }
  const usage = spec.usage ?? generatedUsage(spec);
  const rewritten = canonicalArgs(args, spec.options);
  if (rewritten.some((a) => a === "--help" || a === "-h")) {
    const end = rewritten.indexOf("--");
    const at = rewritten.findIndex((a) => a === "--help" || a === "-h");
    if (end < 0 || at < end) throw new HelpRequested(usage);
  }
  const options: Record<
    string,
    {
      type: "string" | "boolean";
      multiple?: boolean;
      short?: string;
      default?: string | boolean | string[] | boolean[];
    }
  > = {};
  for (const [name, f] of Object.entries(spec.options)) {
    options[name] = {
      type: f.type,
      ...(f.multiple ? { multiple: true } : {}),
      ...(f.short ? { short: f.short } : {}),
      ...(f.default !== undefined ? { default: f.default } : {}),
    };
  }
  try {
    const r = parseArgs({
      args: rewritten,
      options,
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
    return { values: r.values as Values<O>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError(`${usageMessage(e, spec.options)}\n${usage}`);
  }
}

/**
 * `--snake_case` spellings of kebab flags become the kebab flag, with one warning per flag.
 * Arguments after `--` are left alone.
 */
function canonicalArgs(args: readonly string[], options: Record<string, FlagSpec>): string[] {
  const out: string[] = [];
  let done = false;
  for (const a of args) {
    if (done || !a.startsWith("--") || !a.includes("_")) {
      if (a === "--") done = true;
      out.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kebab = name.replaceAll("_", "-");
    if (kebab in options) {
      flagWarnings.warn(`warning: --${name} is deprecated; use --${kebab}`);
      out.push(`--${kebab}${eq < 0 ? "" : a.slice(eq)}`);
    } else out.push(a);
  }
  return out;
}

/** node:util's error as one plain sentence naming the flag. */
function usageMessage(e: unknown, options: Record<string, FlagSpec>): string {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const flag = /'(-{1,2}[^' ]+)/.exec(msg)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const name = flag?.replace(/^-+/, "").split("=")[0] ?? "";
      const near = Object.keys(options).filter((k) => editDistance(k, name) <= 2);
      return `unknown option ${flag ?? msg}${
        near.length > 0 && name.length >= 3
          ? ` (did you mean ${near.map((k) => `--${k}`).join(", ")}?)`
          : ""
      }`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return options[flag?.replace(/^-+/, "") ?? ""]?.type === "boolean"
        ? `option ${flag} takes no value`
        : `option ${flag ?? ""} needs a value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const arg = /'([^']*)'/.exec(msg)?.[1];
      return `unexpected argument ${arg ?? ""} (this command takes only options)`;
    }
    default:
      return msg;
  }
}

/** Levenshtein distance (short flag names only), for "did you mean". */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
}

function generatedUsage<O extends Record<string, FlagSpec>>(spec: FlagsSpec<O>): string {
  const lines = Object.entries(spec.options).map(([name, f]) => {
    const head = `--${name}${f.type === "string" ? " VALUE" : ""}${
      f.multiple ? " (repeatable)" : ""
    }`;
    const def = f.default !== undefined && f.type === "string" ? ` (default ${f.default})` : "";
    return `  ${head.padEnd(28)} ${f.help ?? ""}${def}`.trimEnd();
  });
  return [
    `usage: ${spec.name ?? "command"} [options]${spec.allowPositionals ? " [ARG...]" : ""}`,
    "",
    ...lines,
    `  ${"--help".padEnd(28)} this text`,
  ].join("\n");
}
