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

import { parseArgs } from "node:util";
import { generateMarket, type GenerateReport } from "./generate.ts";
import { DEFAULT_PROCESS } from "./market_process.ts";

/** Parses a positive number option or throws naming it. */
export function positive(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new RangeError(`Invalid --${name}: ${v}; expected a positive number`);
  }
  return n;
}

/** Runs the command. */
export async function synthCommand(args: string[]): Promise<GenerateReport> {
  const { values } = parseArgs({
    args,
    options: {
      kind: { type: "string", default: "planted" },
      hours: { type: "string", default: "24" },
      seed: { type: "string", default: "1" },
      out: { type: "string" },
      fee_bps: { type: "string", default: "1" },
      mu_bps: { type: "string" },
      sigma_bps: { type: "string" },
    },
  });
  if (values.kind !== "planted" && values.kind !== "null") {
    throw new RangeError(`Invalid --kind: ${values.kind}; expected planted or null`);
  }
  const seed = positive(values.seed, "seed", 1);
  const r = await generateMarket({
    process: {
      ...DEFAULT_PROCESS,
      kind: values.kind,
      seed,
      muBps: positive(values.mu_bps, "mu_bps", DEFAULT_PROCESS.muBps),
      sigmaBps: positive(values.sigma_bps, "sigma_bps", DEFAULT_PROCESS.sigmaBps),
    },
    hours: positive(values.hours, "hours", 24),
    dir: values.out ?? `data/synth/${values.kind}-${seed}`,
    feeBps: Number(values.fee_bps),
  });
  console.log(JSON.stringify(r, null, 2));
  return r;
}
