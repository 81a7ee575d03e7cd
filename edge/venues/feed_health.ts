/**
 * Feed health per venue and symbol: message rate, exchange-to-receive latency
 * percentiles, gaps, resyncs, checksum failures, crossed books, staleness.
 *
 * @module
 */

import type { FeedHealthReport } from "../../infra/store/harvest/harvest_tables.ts";
export type { FeedHealthReport };

const SAMPLES = 1024;

/** Accumulates one symbol's feed health; see {@linkcode FeedHealthReport}. */
export class FeedHealth {
  /** Venue of the feed. */
  readonly venue: string;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Market messages (book + trade events) received. */
  msgs = 0;
  /** Sequence gaps detected. */
  gaps = 0;
  /** Resyncs requested for this symbol. */
  resyncs = 0;
  /** Checksum mismatches. */
  checksumFailures = 0;
  /** Crossed books seen after applying. */
  crossed = 0;
  /** Deltas dropped as already covered (duplicates, pre-snapshot). */
  stale = 0;
  /** Resyncs caused by silence on this symbol. */
  staleResyncs = 0;
  /** Receive time of the last market message, epoch ms (0 = none yet). */
  lastEventAt = 0;
  /** Receive time of the last book message (staleness is judged on these), epoch ms. */
  lastBookAt = 0;
  readonly #latency = new Float64Array(SAMPLES);
  #latencyCount = 0;
  #windowStart: number;
  #windowMsgs = 0;
  #rate = 0;

  /**
   * @param venue Venue of the feed.
   * @param symbol Normalized symbol.
   * @param now Start time, epoch ms.
   */
  constructor(venue: string, symbol: string, now: number) {
    this.venue = venue;
    this.symbol = symbol;
    this.#windowStart = now;
  }

  /** Records one market message (exchangeTime 0 = unknown, no latency sample). */
  onMessage(receiveTime: number, exchangeTime: number, book: boolean): void {
    this.msgs++;
    this.#windowMsgs++;
    this.lastEventAt = receiveTime;
    if (book) this.lastBookAt = receiveTime;
    if (exchangeTime > 0) {
      this.#latency[this.#latencyCount++ % SAMPLES] = receiveTime - exchangeTime;
    }
  }

  /** Health figures at `now`; the message rate is over the time since the previous report. */
  report(now: number, synced: boolean): FeedHealthReport {
    const span = now - this.#windowStart;
    if (span >= 1000) {
      this.#rate = (this.#windowMsgs * 1000) / span;
      this.#windowMsgs = 0;
      this.#windowStart = now;
    }
    const n = Math.min(this.#latencyCount, SAMPLES);
    const sorted = Array.from(this.#latency.subarray(0, n)).sort((a, b) => a - b);
    const pct = (q: number) =>
      n === 0 ? null : Math.round((sorted[Math.min(n - 1, Math.floor(q * n))] as number) * 10) / 10;
    return {
      venue: this.venue,
      symbol: this.symbol,
      msgs: this.msgs,
      msgs_per_s: Math.round(this.#rate * 10) / 10,
      latency_p50_ms: pct(0.5),
      latency_p99_ms: pct(0.99),
      gaps: this.gaps,
      resyncs: this.resyncs,
      checksum_failures: this.checksumFailures,
      crossed: this.crossed,
      stale: this.stale,
      stale_resyncs: this.staleResyncs,
      synced,
      age_ms: this.lastEventAt === 0 ? null : now - this.lastEventAt,
    };
  }
}
