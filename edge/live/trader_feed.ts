/**
 * The live paper trader's feed: an async queue of market events with a bound. The harvester
 * pushes every event; the trader reads them one by one and may stop reading for a while (it
 * waits and retries a commit while the disk is full). Once more than `maxQueued` events wait,
 * the backlog is conflated (conflate_events.ts: per book one delta that leaves the book as the
 * deltas did, the newest trade) so memory stays bounded however long the trader waits; what
 * was merged or skipped is counted and reported through `onConflate`.
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import { conflateEvents } from "./conflate_events.ts";

/** Options of {@linkcode TraderFeed}. */
export interface TraderFeedOptions {
  /** Events that may wait before the backlog is conflated. Default 20,000. */
  readonly maxQueued?: number;
  /** Told after each conflation (merged deltas and skipped trades of that pass, backlog after). */
  readonly onConflate?: (pass: { merged: number; skipped: number; left: number }) => void;
}

/** See the module documentation. */
export class TraderFeed implements AsyncIterable<MarketEvent> {
  /** Deltas merged into later ones since the start. */
  mergedDeltas = 0;
  /** Trades the trader never saw (a newer trade of the book was kept) since the start. */
  skippedTrades = 0;
  /** Conflation passes since the start. */
  conflations = 0;
  readonly #max: number;
  readonly #onConflate: TraderFeedOptions["onConflate"];
  #items: MarketEvent[] = [];
  #head = 0; // events before it were read
  #limit: number; // conflate when more wait (raised when a pass cannot get below the bound)
  #closed = false;
  #wake: (() => void) | undefined;

  /** @param options The bound and the conflation report. */
  constructor(options: TraderFeedOptions = {}) {
    this.#max = options.maxQueued ?? 20_000;
    if (!(this.#max >= 1)) throw new RangeError(`maxQueued must be >= 1, got ${this.#max}`);
    this.#limit = this.#max;
    this.#onConflate = options.onConflate;
  }

  /**
   * A feed with the default bound that logs its conflations (at most one line per 10 s):
   * "paper trader behind: backlog conflated to N events (... deltas merged, ... trades skipped)".
   */
  static logged(log: (line: string) => void): TraderFeed {
    let toldAt = -Infinity;
    const feed: TraderFeed = new TraderFeed({
      onConflate: (c) => {
        if (performance.now() - toldAt < 10_000) return;
        toldAt = performance.now();
        log(
          `paper trader behind: backlog conflated to ${c.left} events (so far ${feed.mergedDeltas} deltas merged, ${feed.skippedTrades} trades skipped; books exact)`,
        );
      },
    });
    return feed;
  }

  /** Events waiting. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Adds an event (ignored after close); conflates the backlog once it passes the bound. */
  push(e: MarketEvent): void {
    if (this.#closed) return;
    this.#items.push(e);
    if (this.size > this.#limit) this.#conflate();
    this.#wake?.();
  }

  /** Ends the stream after the waiting events. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  #conflate(): void {
    const r = conflateEvents(this.#items.slice(this.#head));
    this.#items = r.events;
    this.#head = 0;
    this.#limit = Math.max(this.#max, 2 * r.events.length);
    this.mergedDeltas += r.mergedDeltas;
    this.skippedTrades += r.skippedTrades;
    this.conflations++;
    this.#onConflate?.({ merged: r.mergedDeltas, skipped: r.skippedTrades, left: r.events.length });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MarketEvent> {
    while (true) {
      // One event at a time: what the trader has not read stays in the queue, where the
      // bound applies.
      if (this.#head < this.#items.length) {
        const next = this.#items[this.#head]!;
        this.#items[this.#head++] = undefined as unknown as MarketEvent; // let it be collected
        if (this.#head === this.#items.length) {
          this.#items = [];
          this.#head = 0;
        } else if (this.#head >= 4096 && this.#head * 2 >= this.#items.length) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
        yield next;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
