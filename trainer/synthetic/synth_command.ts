/**
 * `deno task train:synth`: writes a synthetic market with a known answer.
 *
 * ```sh
 * deno task train:synth --kind planted --hours 24 --seed 1 --out data/synth/planted
 * deno task train:synth --kind null --hours 24 --seed 1 --out data/synth/null
 * ```
 *
 * Prints one JSON object: files, lines, seconds and the oracle's edge.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { UsageError } from "../../infra/cli/usage_error.ts";
import { generateMarket, type GenerateReport } from "./generate.ts";
import { DEFAULT_PROCESS } from "./market_process.ts";

/** Parses a positive number option or throws naming it. */
export function positive(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`Invalid --${name}: ${v}; expected a positive number`);
  }
  return n;
}

/** Runs the command. */
export async function synthCommand(args: string[]): Promise<GenerateReport> {
  const { values } = parseFlags(args, {
    name: "synth",
    options: {
      kind: { type: "string", default: "planted" },
      hours: { type: "string", default: "24" },
      seed: { type: "string", default: "1" },
      out: { type: "string" },
      "fee-bps": { type: "string", default: "1" },
      "mu-bps": { type: "string" },
      "sigma-bps": { type: "string" },
    },
  });
  if (values.kind !== "planted" && values.kind !== "null") {
    throw new UsageError(`Invalid --kind: ${values.kind}; expected planted or null`);
  }
  const seed = positive(values.seed, "seed", 1);
  const r = await generateMarket({
    process: {
      ...DEFAULT_PROCESS,
      kind: values.kind,
      seed,
      muBps: positive(values["mu-bps"], "mu-bps", DEFAULT_PROCESS.muBps),
      sigmaBps: positive(values["sigma-bps"], "sigma-bps", DEFAULT_PROCESS.sigmaBps),
    },
    hours: positive(values.hours, "hours", 24),
    dir: values.out ?? `data/synth/${values.kind}-${seed}`,
    feeBps: positive(values["fee-bps"], "fee-bps", 1),
  });
  console.log(JSON.stringify(r, null, 2));
  return r;
}
