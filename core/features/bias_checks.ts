import type { MarketEvent } from "../market/events.ts";
import { DecisionClock } from "./clock.ts";
import { FeatureEngine, type FeatureEngineOptions, type FeatureRow } from "./engine.ts";
import type { FeatureSpec } from "./spec.ts";

/** Options shared by the bias checks. */
export interface BiasCheckOptions {
  /** Decision interval, ms. Default 1,000. */
  readonly intervalMs?: number;
  /**
   * Engine options for one run over exactly `events` (called once per run, so
   * stateful plug-ins start fresh). A plug-in that precomputes from the list it is
   * given (a batch pass, a join of future labels) is what the look-ahead check catches.
   */
  readonly makeOptions?: (events: readonly MarketEvent[]) => FeatureEngineOptions;
}

/** A feature that failed a check. */
export interface Offender {
  /** Feature name. */
  name: string;
  /** Decision times where it differed. */
  count: number;
  /** First difference: decision time and the two values (null = missing). */
  example: { time: number; reference: number | null; other: number | null };
}

/** Result of a check (snake_case: it is printed as JSON). */
export interface BiasReport {
  /** Which check. */
  check: "lookahead" | "warmup";
  /** Decision times compared. */
  checked: number;
  /** Features compared at each time. */
  features_checked: number;
  /** Number of offending features. */
  violations: number;
  /** The offending features. */
  features: Offender[];
  /** Warm-up check only: features still missing after the shorter warm-up (need a longer one). */
  unwarmed?: string[];
}

/** Runs the engine and clock over `events`, returning the rows (flushed through `end`). */
function run(
  spec: FeatureSpec,
  events: readonly MarketEvent[],
  options: BiasCheckOptions,
  end: number,
  seed: readonly MarketEvent[] = [],
): FeatureRow[] {
  const rows: FeatureRow[] = [];
  const engine = new FeatureEngine(spec, options.makeOptions?.(events) ?? {});
  const clock = new DecisionClock(engine, {
    intervalMs: options.intervalMs ?? 1000,
    onDecision: (d) => rows.push(d.rows[d.rows.length - 1] as FeatureRow),
  });
  for (const e of seed) engine.onEvent(e);
  for (const e of events) clock.onEvent(e);
  clock.flushThrough(end);
  return rows;
}

/** Index of the first event after time `t` in arrival order (what the clock would stop at). */
function cutIndex(events: readonly MarketEvent[], t: number): number {
  const i = events.findIndex((e) => e.receiveTime > t);
  return i < 0 ? events.length : i;
}

class Offenders {
  readonly #map = new Map<string, Offender>();
  add(name: string, time: number, reference: number | null, other: number | null): void {
    const o = this.#map.get(name);
    if (o) o.count++;
    else this.#map.set(name, { name, count: 1, example: { time, reference, other } });
  }
  list(): Offender[] {
    return [...this.#map.values()];
  }
}

const valueOf = (r: FeatureRow, i: number) => (r.missing[i] === 1 ? null : r.values[i] as number);

/**
 * Look-ahead check (as freqtrade's lookahead-analysis): replays all events, then for
 * `samples` decision times re-runs on the events truncated at that time and reports
 * every feature whose value (or missing flag) differs. The engine is incremental,
 * so 0 violations is expected; a difference means a feature saw data from after
 * its decision time.
 *
 * @param spec The spec.
 * @param events Events in arrival order.
 * @param options Interval, number of sampled times (default 20) and engine options.
 * @returns The report.
 */
export function checkLookahead(
  spec: FeatureSpec,
  events: readonly MarketEvent[],
  options: BiasCheckOptions & { samples?: number } = {},
): BiasReport {
  const last = events[events.length - 1];
  const full = last ? run(spec, events, options, last.receiveTime) : [];
  const n = Math.min(options.samples ?? 20, full.length);
  const off = new Offenders();
  for (let k = 0; k < n; k++) {
    const ref = full[Math.floor((k + 1) * full.length / (n + 1))] as FeatureRow;
    const cut = events.slice(0, cutIndex(events, ref.time));
    const rows = run(spec, cut, options, ref.time);
    const got = rows[rows.length - 1];
    spec.features.forEach((f, i) => {
      const a = valueOf(ref, i);
      const b = got && got.time === ref.time ? valueOf(got, i) : null;
      if (!Object.is(a, b)) off.add(f.name, ref.time, a, b);
    });
  }
  const features = off.list();
  return {
    check: "lookahead",
    checked: n,
    features_checked: spec.features.length,
    violations: features.length,
    features,
  };
}

/**
 * Warm-up check (as freqtrade's recursive-analysis): the reference run uses all
 * events; each other run starts `warmupMs` before the compared period, seeded with
 * the books as they were then (what a restarted process gets from REST snapshots).
 * Over the last `compareMs` of data, a feature present in both runs that differs by
 * more than `tolerance` (relative) is a violation: its value depends on how long
 * the process has run. Features present in the reference but still missing in the
 * shorter run are listed as `unwarmed`.
 *
 * @param spec The spec.
 * @param events Events in arrival order.
 * @param options Warm-up lengths (default 330 s and 450 s), compared period (default 60 s),
 *   tolerance (default 1e-9) and engine options.
 * @returns The report.
 */
export function checkWarmup(
  spec: FeatureSpec,
  events: readonly MarketEvent[],
  options: BiasCheckOptions & { warmupsMs?: number[]; compareMs?: number; tolerance?: number } = {},
): BiasReport {
  const last = events[events.length - 1];
  if (!last) {
    return { check: "warmup", checked: 0, features_checked: 0, violations: 0, features: [] };
  }
  const end = last.receiveTime;
  const compareFrom = end - (options.compareMs ?? 60_000);
  const tol = options.tolerance ?? 1e-9;
  const ref = run(spec, events, options, end).filter((r) => r.time >= compareFrom);
  const off = new Offenders();
  const unwarmed = new Set<string>();
  let checked = 0;
  for (const warmup of options.warmupsMs ?? [330_000, 450_000]) {
    const start = compareFrom - warmup;
    const i = cutIndex(events, start);
    if (i === 0) continue; // not enough data for this warm-up
    const seed = snapshotsAt(spec, events.slice(0, i), options, start);
    const rows = run(spec, events.slice(i), options, end, seed);
    const byTime = new Map(rows.map((r) => [r.time, r]));
    for (const r of ref) {
      const w = byTime.get(r.time);
      if (!w) continue;
      checked++;
      spec.features.forEach((f, k) => {
        if (f.kind === "flag") return;
        const a = valueOf(r, k);
        const b = valueOf(w, k);
        if (a !== null && b === null) unwarmed.add(f.name);
        else if (a === null && b !== null) off.add(f.name, r.time, a, b);
        else if (a !== null && b !== null && Math.abs(a - b) > tol * Math.max(Math.abs(a), 1e-12)) {
          off.add(f.name, r.time, a, b);
        }
      });
    }
  }
  const features = off.list();
  return {
    check: "warmup",
    checked,
    features_checked: spec.features.length,
    violations: features.length,
    features,
    unwarmed: [...unwarmed],
  };
}

/** Book snapshots after applying `events`, stamped `t`. */
function snapshotsAt(
  spec: FeatureSpec,
  events: readonly MarketEvent[],
  options: BiasCheckOptions,
  t: number,
): MarketEvent[] {
  const engine = new FeatureEngine(spec, options.makeOptions?.(events) ?? {});
  for (const e of events) engine.onEvent(e);
  return engine.bookSnapshots().map((s) => ({ ...s, exchangeTime: t, receiveTime: t }));
}
