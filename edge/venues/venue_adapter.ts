/**
 * What every venue adapter shares: one {@linkcode WsConnection} per symbol group,
 * one book sync and {@linkcode FeedHealth} per symbol, bad-frame accounting, and
 * per-symbol resync (gap, checksum failure, crossed book, staleness) that never
 * touches the other symbols. Subclasses supply the protocol.
 *
 * @module
 */

import { type BookSync, needsResync, type SyncOutcome } from "../../core/market/book_sync.ts";
import type { MarketEvent, Trade } from "../../core/market/events.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";
import { WsConnection } from "./connection.ts";
import type { FeedHealthReport } from "./feed_health.ts";
import type { ControlItem, InstrumentLookup, ParsedFrame } from "./venue_item.ts";
import { widenedFor } from "./instrument_widening.ts";
import type { AdapterCounters, AdapterOptions, ResyncReason } from "./adapter_types.ts";
import {
  countOutcome,
  coverageOf,
  isCovered,
  makeSymbolFeed,
  scheduleResync,
  staleResyncDue,
  type SymbolFeed,
} from "./symbol_feed.ts";

export type {
  AdapterCounters,
  AdapterOptions,
  AdapterSink,
  ResyncReason,
} from "./adapter_types.ts";
export type { SymbolFeed } from "./symbol_feed.ts";

/** Base of the venue adapters; see the module documentation. */
export abstract class VenueAdapter {
  /** Venue of this adapter. */
  abstract readonly venue: VenueId;
  /** Followed symbols by normalized symbol. */
  readonly feeds: Map<string, SymbolFeed> = new Map();
  /** Adapter-wide counters. */
  readonly counters: AdapterCounters = {
    badFrames: 0,
    venueErrors: 0,
    droppedLevels: 0,
    requestErrors: 0,
    instrumentChanges: 0,
  };
  /** The last bad-frame messages (at most 50), newest last. */
  readonly badFrameLog: string[] = [];
  /** Connection per symbol group. */
  protected readonly connections: WsConnection[] = [];
  /** Options given at construction. */
  protected readonly options: AdapterOptions;
  /** Clock. */
  protected readonly now: () => number;
  /** Increments on every (re)connect of a group, to discard late REST replies. */
  protected readonly generation: number[] = [];
  #staleTimer: ReturnType<typeof setInterval> | undefined;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #byVenueSymbol = new Map<string, SymbolFeed>();
  #looked: SymbolFeed | undefined;

  /** @param options URLs, instruments, sink and timing. */
  constructor(options: AdapterOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** Instruments followed (their current scale: widened or refreshed ones included). */
  get instruments(): readonly Instrument[] {
    this.ensureFeeds();
    return [...this.feeds.values()].map((f) => f.inst);
  }

  /** The feeds' current instrument by venue symbol; remembers the feed a parse looked up. */
  protected readonly lookup: InstrumentLookup = (venueSymbol) => {
    this.ensureFeeds();
    this.#looked = this.#byVenueSymbol.get(venueSymbol);
    return this.#looked?.inst;
  };

  /** Symbol groups, one connection each (default: all symbols on one connection). */
  protected groups(): Instrument[][] {
    return [[...this.options.instruments]];
  }

  /** The URL of a group's connection. */
  protected abstract url(group: number): string | Promise<string>;
  /** Sends the subscriptions of a group once its socket is open. */
  protected abstract subscribe(group: number, send: (text: string) => void): void | Promise<void>;
  /** Parses one frame. */
  protected abstract parse(text: string, receiveTime: number): ParsedFrame;
  /** A new sync for an instrument. */
  protected abstract makeSync(inst: Instrument): BookSync;
  /** Fetches a snapshot (REST) or resubscribes, for one symbol whose book was reset. */
  protected abstract requestSnapshot(feed: SymbolFeed): void;

  /** Levels per side of the venue's REST snapshots (undefined: full book or WS snapshot). */
  protected snapshotLimit(): number | undefined {
    return undefined;
  }

  /** Hook: whether to keep a trade (venues that replay recent trades on subscribe drop repeats). */
  protected acceptTrade(_trade: Trade): boolean {
    return true;
  }

  /** Hook: a control item (welcome, heartbeat, ack, ...) arrived on a group. */
  protected onControl(_group: number, _item: ControlItem, _receiveTime: number): void {}
  /**
   * Hook: a frame with a connection-level sequence arrived.
   *
   * @returns False to discard the frame (a repeat of one already handled).
   */
  protected onConnectionSequence(_group: number, _sequence: number): boolean {
    return true;
  }
  /** Hook: a group's socket opened (before subscribing). */
  protected onGroupOpen(_group: number): void {}

  /** Creates the symbol feeds once (subclass fields are ready by then, unlike in the constructor). */
  protected ensureFeeds(): void {
    if (this.feeds.size > 0) return;
    this.groups().forEach((insts, g) => {
      this.generation[g] ??= 0;
      for (const inst of insts) {
        const init = { venue: this.venue, sync: this.makeSync(inst), group: g, now: this.now };
        const f = makeSymbolFeed(inst, init);
        this.feeds.set(inst.symbol, f);
        this.#byVenueSymbol.set(inst.venueSymbol, f);
      }
    });
  }

  /** Opens every connection. */
  start(): void {
    this.ensureFeeds();
    this.groups().forEach((_insts, g) => {
      const conn = new WsConnection({
        name: `${this.venue}#${g}`,
        url: () => this.url(g),
        onOpen: (send) => {
          this.generation[g] = (this.generation[g] ?? 0) + 1;
          for (const f of this.feedsOf(g)) {
            f.sync.reset();
            f.pending = false;
            f.waitingSince = this.now();
          }
          this.onGroupOpen(g);
          return this.subscribe(g, send);
        },
        onMessage: (text, t) => this.handleFrame(g, text, t),
        onError: (e) => this.noteProblem(`connection: ${e.message}`, "request"),
        ...(this.options.silenceTimeoutMs
          ? { silenceTimeoutMs: this.options.silenceTimeoutMs }
          : {}),
        ...(this.options.initialDelayMs ? { initialDelayMs: this.options.initialDelayMs } : {}),
        ...(this.options.maxDelayMs ? { maxDelayMs: this.options.maxDelayMs } : {}),
        ...(this.options.random ? { random: this.options.random } : {}),
        ...(this.options.stableAfterMs !== undefined
          ? { stableAfterMs: this.options.stableAfterMs }
          : {}),
        maxAgeMs: this.options.maxConnectionAgeMs ?? 23.5 * 3_600_000,
        now: this.now,
      });
      this.connections.push(conn);
      conn.start();
    });
    const stale = this.options.staleAfterMs ?? 30_000;
    this.#staleTimer = setInterval(() => this.#checkStale(stale), Math.max(50, stale / 4));
  }

  /** Closes every connection and timer. */
  async stop(): Promise<void> {
    clearInterval(this.#staleTimer);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.all(this.connections.map((c) => c.stop()));
  }

  /** Health of every symbol. */
  health(): FeedHealthReport[] {
    const now = this.now();
    return [...this.feeds.values()].map((f) => f.health.report(now, f.sync.synced));
  }

  /** Feeds of one connection group. */
  protected feedsOf(group: number): SymbolFeed[] {
    return [...this.feeds.values()].filter((f) => f.group === group);
  }

  /**
   * A REST request with a timeout (`requestTimeoutMs`, default 10 s): a venue that accepts the
   * connection and never answers cannot hold a snapshot or a token request forever.
   */
  protected request(url: string, init: RequestInit = {}): Promise<Response> {
    const signal = AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000);
    return (this.options.fetch ?? fetch)(url, { ...init, signal });
  }

  /** Runs `fn` after `ms` unless the adapter stops first. */
  protected later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  /**
   * Counts and logs a problem with its venue: a frame (or REST body) that failed to
   * parse, an error the venue sent, or a failed request / connection attempt.
   */
  protected noteProblem(message: string, kind: "frame" | "venue" | "request" = "frame"): void {
    if (kind === "frame") this.counters.badFrames++;
    else if (kind === "venue") this.counters.venueErrors++;
    else this.counters.requestErrors++;
    const line = `${this.venue}: ${message}`;
    this.badFrameLog.push(line);
    if (this.badFrameLog.length > 50) this.badFrameLog.shift();
    this.options.sink?.onBadFrame?.(this.venue, line);
  }

  /**
   * Feeds one frame as if it came from connection `group` (replays, fuzzing).
   *
   * @returns False when the frame was bad (it is then counted and logged).
   */
  ingest(text: string, receiveTime: number, group = 0): boolean {
    this.ensureFeeds();
    const bad = this.counters.badFrames;
    this.handleFrame(group, text, receiveTime);
    return this.counters.badFrames === bad;
  }

  /** Parses and routes one frame; a bad frame is counted, never thrown. */
  protected handleFrame(group: number, text: string, receiveTime: number, widened = 0): void {
    let parsed: ParsedFrame;
    this.#looked = undefined;
    try {
      parsed = this.parse(text, receiveTime);
    } catch (e) {
      // Data finer than the symbol's instrument: widen it, rebuild the book, parse again.
      const f = this.#looked;
      if (f && widened < 4 && this.widen(f, e)) {
        return this.handleFrame(group, text, receiveTime, widened + 1);
      }
      this.noteProblem((e as Error).message);
      return;
    }
    this.counters.droppedLevels += parsed.droppedLevels ?? 0;
    if (
      parsed.connectionSequence !== undefined &&
      !this.onConnectionSequence(group, parsed.connectionSequence)
    ) return;
    for (const item of parsed.items) {
      if (item.kind === "control") this.onControl(group, item, receiveTime);
      else if (item.kind === "venue_error") {
        this.noteProblem(`venue error: ${item.message}`, "venue");
        const f = item.symbol === undefined ? undefined : this.feeds.get(item.symbol);
        if (f) this.resync(f, "venue_error");
      } else this.route(item);
    }
  }

  /** Hands one event to its symbol's sync and reacts to the outcome. */
  protected route(event: MarketEvent): void {
    const f = this.feeds.get(event.symbol);
    if (!f) return; // a symbol we did not subscribe (e.g. a USDC alias)
    if (event.kind === "trade" && !this.acceptTrade(event)) return;
    f.health.onMessage(event.receiveTime, event.exchangeTime, event.kind !== "trade");
    let outcome: SyncOutcome | undefined;
    if (event.kind === "snapshot") {
      f.pending = false;
      f.coverage = coverageOf(event, this.snapshotLimit());
      const outcomes = f.sync.onSnapshot(event);
      for (const o of outcomes) countOutcome(f, o);
      outcome = outcomes.find(needsResync) ?? "applied";
    } else if (event.kind === "delta") {
      outcome = f.sync.onDelta(event);
      countOutcome(f, outcome);
    }
    this.options.sink?.onEvent?.(event, outcome);
    if (outcome !== undefined && needsResync(outcome)) {
      this.resync(f, outcome);
    } else if (f.coverage && f.sync.synced && !isCovered(f, this.options.exactLevels ?? 20)) {
      this.resync(f, "coverage");
    } else if (!f.sync.synced && !f.pending && outcome === "buffered") {
      this.resync(f, "gap", false); // first deltas after (re)connect: fetch the snapshot
    }
  }

  /**
   * Drops one symbol's book and asks for a fresh snapshot, at most once per
   * `resyncIntervalMs`; other symbols are not touched.
   *
   * @param count Whether this counts as a resync in the health (not for the initial snapshot).
   */
  protected resync(f: SymbolFeed, reason: ResyncReason, count = true): void {
    if (count) {
      f.health.resyncs++;
      if (reason === "stale") f.health.staleResyncs++;
      this.options.sink?.onResync?.(this.venue, f.inst.symbol, reason);
    }
    if (f.sync.synced) {
      f.sync.reset();
      f.waitingSince = this.now();
    }
    if (f.pending) return;
    f.pending = true;
    const wait = scheduleResync(f, {
      now: this.now(),
      count,
      intervalMs: this.options.resyncIntervalMs ?? 1_000,
      maxIntervalMs: this.options.maxResyncIntervalMs ?? 60_000,
    });
    const gen = this.generation[f.group];
    this.later(wait, () => {
      if (this.generation[f.group] !== gen) return; // reconnected meanwhile
      this.requestSnapshot(f);
    });
  }

  /**
   * Widens a feed's instrument to the text a {@linkcode PrecisionError} (behind `e`) failed
   * on and rebuilds its book at that scale (see {@linkcode applyInstrument}).
   *
   * @returns False when `e` is no precision error or the scale cannot widen further.
   */
  protected widen(f: SymbolFeed, e: unknown): boolean {
    const wide = widenedFor(f.inst, e);
    return wide !== undefined && this.applyInstrument(wide.inst, wide.why, "precision");
  }

  /**
   * Replaces a followed symbol's instrument (same venue symbol, new scale, tick, lot or minimum
   * notional): its book is rebuilt empty at the new scale and resynced; other symbols are not
   * touched. Logged through the sink's `onInstrument` and counted in `instrumentChanges`.
   *
   * @returns False when the adapter does not follow `inst.symbol`.
   */
  applyInstrument(inst: Instrument, why: string, reason: ResyncReason = "metadata"): boolean {
    this.ensureFeeds();
    const f = this.feeds.get(inst.symbol);
    if (!f || f.inst.venueSymbol !== inst.venueSymbol) return false;
    f.inst = inst;
    f.sync = this.makeSync(inst);
    f.coverage = undefined;
    f.waitingSince = this.now();
    this.counters.instrumentChanges++;
    this.options.sink?.onInstrument?.(this.venue, inst, why);
    this.resync(f, reason);
    return true;
  }

  #checkStale(limitMs: number): void {
    const now = this.now();
    for (const f of this.feeds.values()) {
      const groupOpen = () => this.connections[f.group]?.open === true;
      if (staleResyncDue(f, { now, limitMs, groupOpen })) this.resync(f, "stale");
    }
  }
}
