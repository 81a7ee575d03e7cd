/**
 * Reads `tickerml-events/1` recordings (core/market/event_line.ts): every file's events,
 * merged in receive-time order (stable in file order). Bad lines are counted with their
 * file and line and skipped; a file without the header is refused loudly.
 *
 * @module
 */

import { decodeEventLine, isEventsHeader } from "../../core/market/event_line.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { readRecordedLines } from "../../infra/recording/recorded_lines.ts";

/** Counters of a read. */
export interface EventReadStats {
  /** Event lines decoded. */
  events: number;
  /** Lines skipped as unusable. */
  bad: number;
  /** First error messages (file:line). */
  errors: string[];
}

/** True when the first line of `path` is a `tickerml-events/1` header. */
export async function isEventRecording(path: string): Promise<boolean> {
  for await (const l of readRecordedLines(path)) return l.kind === "line" && isEventsHeader(l.text);
  return false;
}

async function* readOne(path: string, stats: EventReadStats): AsyncGenerator<MarketEvent> {
  let first = true;
  const bad = (msg: string) => {
    stats.bad++;
    if (stats.errors.length < 20) stats.errors.push(msg);
  };
  for await (const l of readRecordedLines(path)) {
    if (l.kind === "error") {
      bad(`${l.file}:${l.lineNo}: ${l.message}`);
      continue;
    }
    if (first) {
      first = false;
      if (!isEventsHeader(l.text)) {
        throw new Error(`${path}: not a tickerml-events/1 recording (no header line)`);
      }
      continue;
    }
    try {
      yield decodeEventLine(l.text);
      stats.events++;
    } catch (e) {
      bad(`${l.file}:${l.lineNo}: ${(e as Error).message}`);
    }
  }
}

/** Streams the events of several recordings merged in receive-time order. */
export async function* readEventRecordings(
  files: readonly string[],
  stats: EventReadStats = { events: 0, bad: 0, errors: [] },
): AsyncGenerator<MarketEvent> {
  const iters = files.map((f) => readOne(f, stats)[Symbol.asyncIterator]());
  const heads = await Promise.all(iters.map(async (it) => (await it.next()).value ?? undefined));
  while (true) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (best < 0 || h.receiveTime < heads[best]!.receiveTime)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    heads[best] = (await iters[best]!.next()).value ?? undefined;
  }
}
