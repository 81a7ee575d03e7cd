import { parseFlags } from "../infra/cli/flags.ts";
import { UsageError } from "../infra/cli/usage_error.ts";
import { type BiasReport, checkLookahead, checkWarmup } from "../core/features/bias_checks.ts";
import { buildFeatureDataset } from "../core/features/dataset.ts";
import {
  buildFeatureSpec,
  defaultFeatureConfig,
  type FeatureSpec,
  type StreamRef,
} from "../core/features/spec.ts";
import type { MarketEvent } from "../core/market/events.ts";
import type { Instrument } from "../core/market/instrument.ts";
import { datasetCsv } from "../core/features/dataset_csv.ts";
import { loadRecordedEvents } from "./features/recorded_events.ts";
import { isVenueId, VENUE_IDS, type VenueId } from "../core/market/instrument.ts";

const USAGE = `Usage: deno task features [options] FILE...

Replays Binance recordings (<ns> <json> lines, .gz or plain) through the feature engine.

  --check-lookahead   re-run on data truncated at sampled decision times; report features that differ
  --check-warmup      re-run with shorter warm-ups; report features that depend on warm-up length
  --out FILE          write the feature dataset (one row per decision) as CSV
  --json              print a JSON summary
  --interval-ms N     decision interval (default 1000)
  --samples N         look-ahead: decision times checked (default 20)
  --warmup-s N        warm-up: a warm-up length in seconds (repeatable; default 330 and 450)
  --tolerance X       warm-up: relative tolerance (default 1e-9)
  --venue V           venue tag of the recording: binance | binance_us (default binance); coinbase,
                      kraken, kucoin for storage archives of those venues (docs/storage.md)
  --symbol S          symbol of REST snapshots the update ids cannot attribute (BASE/QUOTE)

Exit code: 0 clean, 1 violations found or the recording is not usable (damaged or
missing file, receive times out of order, a depth stream without a book: the problems
are printed on stderr and listed in --json), 2 bad usage or no events at all.`;

/**
 * The `features` command: look-ahead and warm-up checks and dataset export on recordings.
 *
 * @param args Command-line arguments (without the command name).
 * @returns The process exit code.
 */
export async function runFeaturesCli(args: string[]): Promise<number> {
  const parsed = parseFlags(args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      "check-lookahead": { type: "boolean", default: false },
      "check-warmup": { type: "boolean", default: false },
      out: { type: "string" },
      json: { type: "boolean", default: false },
      "interval-ms": { type: "string", default: "1000" },
      samples: { type: "string", default: "20" },
      "warmup-s": { type: "string", multiple: true },
      tolerance: { type: "string", default: "1e-9" },
      venue: { type: "string", default: "binance" },
      symbol: { type: "string" },
    },
  });
  const v = parsed.values;
  const files = parsed.positionals;
  const intervalMs = Number(v["interval-ms"]);
  const samples = Number(v.samples);
  const tolerance = Number(v.tolerance);
  const warmupsMs = (v["warmup-s"] ?? ["330", "450"]).map((s) => Number(s) * 1000);
  const venue = v.venue;
  const usage = [
    files.length === 0 ? "no recording FILE given" : "",
    Number.isInteger(intervalMs) && intervalMs > 0
      ? ""
      : `--interval-ms must be a positive integer`,
    Number.isInteger(samples) && samples > 0 ? "" : `--samples must be a positive integer`,
    tolerance >= 0 ? "" : `--tolerance must be >= 0`,
    warmupsMs.every((w) => w > 0) ? "" : `--warmup-s must be positive`,
    isVenueId(venue) ? "" : `--venue must be one of ${VENUE_IDS.join(", ")}`,
  ].filter(Boolean);
  if (usage.length > 0) throw new UsageError(`${usage.join("\n")}\n${USAGE}`);
  let events: MarketEvent[];
  let badLines: number;
  let errors: string[];
  let problems: string[];
  let instruments: Instrument[];
  try {
    const loaded = await loadRecordedEvents(files, venue as VenueId, v.symbol);
    events = loaded.events;
    badLines = loaded.summary.bad_lines;
    errors = loaded.summary.errors;
    problems = loaded.summary.problems;
    instruments = loaded.instruments;
  } catch (e) {
    console.error(`Cannot read recordings: ${(e as Error).message}`);
    return 2;
  }
  for (const p of problems) console.error(`features: ${p}`);
  const instrument = (r: StreamRef) =>
    instruments.find((i) => i.venue === r.venue && i.symbol === r.symbol);
  const spec = specForEvents(events);
  if (!spec) {
    console.error(`No book or trade events in ${files.join(", ")}`);
    return 2;
  }
  const reports: BiasReport[] = [];
  const makeOptions = () => ({ instrument });
  if (v["check-lookahead"]) {
    reports.push(checkLookahead(spec, events, { intervalMs, samples, makeOptions }));
  }
  if (v["check-warmup"]) {
    reports.push(checkWarmup(spec, events, { intervalMs, warmupsMs, tolerance, makeOptions }));
  }
  let rows = 0;
  if (v.out) {
    const ds = buildFeatureDataset(spec, events, { intervalMs, instrument });
    rows = ds.times.length;
    await Deno.writeTextFile(v.out, datasetCsv(ds));
  }
  const violations = reports.reduce((n, r) => n + r.violations, 0);
  const summary = {
    usable: problems.length === 0,
    problems,
    files: files.length,
    events: events.length,
    bad_lines: badLines,
    spec_hash: spec.hash,
    features: spec.features.length,
    ...(v.out ? { out: v.out, rows } : {}),
    checked: reports.reduce((n, r) => n + r.checked, 0),
    violations,
    checks: reports,
  };
  if (v.json) console.log(JSON.stringify(summary, null, 2));
  else printHuman(summary, reports, errors);
  return violations > 0 || problems.length > 0 ? 1 : 0;
}

/** Default spec over the streams present in the events (first seen = primary). */
export function specForEvents(events: readonly MarketEvent[]): FeatureSpec | undefined {
  const streams: StreamRef[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const key = `${e.venue} ${e.symbol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    streams.push({ venue: e.venue, symbol: e.symbol });
  }
  return streams.length === 0 ? undefined : buildFeatureSpec(defaultFeatureConfig(streams));
}

function printHuman(
  summary: { events: number; bad_lines: number; spec_hash: string; features: number },
  reports: readonly BiasReport[],
  errors: readonly string[],
): void {
  console.log(
    `${summary.events} events, ${summary.bad_lines} bad lines, ${summary.features} features, spec ${
      summary.spec_hash.slice(0, 12)
    }`,
  );
  for (const e of errors) console.log(`  bad line: ${e}`);
  for (const r of reports) {
    console.log(
      `${r.check}: ${r.checked} decision times checked, ${r.violations} offending features`,
    );
    for (const f of r.features) {
      console.log(
        `  ${f.name}: differs at ${f.count} times, e.g. t=${f.example.time} ${f.example.reference} vs ${f.example.other}`,
      );
    }
    if (r.unwarmed && r.unwarmed.length > 0) {
      console.log(`  still missing after the shorter warm-up: ${r.unwarmed.join(", ")}`);
    }
  }
}
