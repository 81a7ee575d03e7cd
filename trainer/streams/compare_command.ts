/**
 * `deno task train:streams [--hours 2] [--test-hours 1] [--seed 1] [--out DIR] [--json]
 * [train options]`: pooled vs per-stream training on the same four-stream planted market
 * (compare_streams.ts); prints one row per approach and stream (held-out metrics through the
 * edge's inference path, backtest P&L on the held-out market) and the account lines, and
 * writes `<out>/streams.json`.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { positive } from "../synthetic/synth_command.ts";
import { CONTROL_DEFAULTS } from "../controls/controls_command.ts";
import { type CompareResult, compareStreams } from "./compare_streams.ts";

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "-");
const pct = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(3)}%`;

/** Printable lines of a comparison. */
export function compareLines(r: CompareResult): string[] {
  const out = [
    `train ${r.data.hours} h, held out ${r.data.test_hours} h (another seed); streams ${
      r.streams.join(", ")
    }`,
    "approach    stream               accuracy  log loss  direction hit  active  fills  P&L net   P&L gross",
  ];
  for (const a of r.approaches) {
    for (const s of r.streams) {
      const h = a.held_out[s];
      const b = a.backtest.streams[s];
      out.push(
        [
          a.approach.padEnd(11),
          s.padEnd(20),
          f3(h?.accuracy ?? NaN).padStart(8),
          f3(h?.log_loss ?? NaN).padStart(9),
          f3(h?.direction_hit ?? NaN).padStart(14),
          String(h?.active ?? 0).padStart(7),
          String(b?.fills ?? 0).padStart(6),
          (b?.pnl_net ?? 0).toFixed(2).padStart(8),
          (b?.pnl_gross ?? 0).toFixed(2).padStart(10),
        ].join(" "),
      );
    }
  }
  for (const a of r.approaches) {
    const bt = a.backtest;
    out.push(
      `${a.approach}: ${a.packages.length} package(s); account ${pct(bt.net_return)} net, ${
        pct(bt.gross_return)
      } gross, ${bt.fills} fills; decision latency p50 ${bt.latency_p50_ms.toFixed(2)} ms, p99 ${
        bt.latency_p99_ms.toFixed(2)
      } ms (worst stream)`,
    );
  }
  const bases = r.approaches[0]?.backtest.baselines ?? {};
  out.push(
    `baselines: ${
      Object.entries(bases).map(([k, v]) =>
        `${k} ${pct(v.net_return)} net / ${pct(v.gross_return)} gross`
      )
        .join("; ")
    }`,
  );
  return out;
}

const STREAMS_USAGE =
  `usage: deno task train:streams [--hours 2] [--test-hours 1] [--seed 1] [--out DIR] [--json]
  [train options: see deno task train --help]`;

/** Runs `train:streams`; returns the exit code. */
export async function compareCommand(args: string[]): Promise<number> {
  const own = ["--hours", "--test-hours", "--test_hours", "--seed", "--out"];
  const ownArgs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const name = a.split("=")[0] as string;
    if (a === "--json" || a === "--help") ownArgs.push(a);
    else if (own.includes(name)) {
      ownArgs.push(a);
      if (!a.includes("=") && i + 1 < args.length) ownArgs.push(args[++i] as string);
    } else rest.push(a);
  }
  const { values } = parseFlags(ownArgs, {
    usage: STREAMS_USAGE,
    options: {
      hours: { type: "string" },
      "test-hours": { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  // The controls' model size and epochs, then the given train options (the last one wins).
  const trainArgs = [
    ...CONTROL_DEFAULTS.filter((_, i, a) => a[i] !== "--episodes" && a[i - 1] !== "--episodes"),
    ...rest,
  ];
  const dir = values.out ?? "data/streams";
  const r = await compareStreams({
    hours: positive(values.hours, "hours", 2),
    testHours: positive(values["test-hours"], "test-hours", 1),
    seed: positive(values.seed, "seed", 1),
    dir,
    trainArgs,
  });
  await Deno.writeTextFile(`${dir}/streams.json`, JSON.stringify(r, null, 2));
  if (values.json) console.log(JSON.stringify(r));
  else for (const l of compareLines(r)) console.log(l);
  return 0;
}
