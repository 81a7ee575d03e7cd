/**
 * `export-recording --format events`: the stored events of several streams (any venue) as
 * one `tickerml-events/1` recording (core/market/event_line.ts), merged in ingest order, so
 * a multi-venue harvest (live or from the simulator) replays through `trade --replay` and
 * the backtester with every traded stream.
 *
 * @module
 */

import { gzipSync } from "node:zlib";
import { encodeEventLine, eventsHeader } from "../../core/market/event_line.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { streamInstrument } from "../../core/traded_streams.ts";
import type { MarketStore } from "../../core/storage.ts";
import { UsageError } from "../../infra/cli/output.ts";

/** Options of {@linkcode exportEvents}. */
export interface ExportEventsOptions {
  /** Streams to export ("venue:symbol"). */
  readonly streams: readonly string[];
  /** Output file (gzip when it ends in `.gz`). */
  readonly out: string;
  /** Only events within this many seconds of the first exported one. */
  readonly maxSeconds?: number;
}

/**
 * Parses "venue:symbol" stream names into instruments.
 *
 * @throws {UsageError} Naming a malformed or unknown stream.
 */
export function streamInstruments(names: readonly string[]): Instrument[] {
  try {
    return names.map(streamInstrument);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Writes the events of `streams` from `store` as one recording.
 *
 * @returns Lines written per stream.
 */
export async function exportEvents(
  store: MarketStore,
  o: ExportEventsOptions,
): Promise<Record<string, number>> {
  const insts = new Map(streamInstruments(o.streams).map((i) => [`${i.venue}:${i.symbol}`, i]));
  const counts: Record<string, number> = Object.fromEntries([...insts.keys()].map((k) => [k, 0]));
  const lines = [eventsHeader()];
  let first: number | undefined;
  for await (const e of store.readEvents()) {
    const key = `${e.venue}:${e.symbol}`;
    const inst = insts.get(key);
    if (!inst) continue;
    first ??= e.receiveTime;
    if (o.maxSeconds !== undefined && e.receiveTime - first > o.maxSeconds * 1000) break;
    lines.push(encodeEventLine(e, inst));
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const bytes = new TextEncoder().encode(lines.join("\n") + "\n");
  await Deno.writeFile(o.out, o.out.endsWith(".gz") ? gzipSync(bytes) : bytes);
  return counts;
}
