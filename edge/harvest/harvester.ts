/**
 * The harvester: runs the configured venue adapters and writes what they see to
 * the store (every normalized event, periodic book pictures, 1-minute OHLCV via
 * {@linkcode StoreWriter}), feed health per venue/symbol (store + log), and the
 * cross-venue arbitrage monitor's opportunities.
 *
 * @module
 */

import type { Config } from "../../core/config.ts";
import type { BookSync } from "../../core/market/book_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { priceToNumber, sizeToNumber } from "../../core/market/instrument.ts";
import { ArbitrageMonitor } from "../../core/trading/arbitrage.ts";
import type { SqliteStore } from "../store/sqlite_store.ts";
import { StoreWriter } from "../store/store_writer.ts";
import { RetentionRunner } from "../archive/retention_runner.ts";
import { type AdapterVenue, createAdapter } from "../venues/adapter_factory.ts";
import type { AdapterOptions, VenueAdapter } from "../venues/venue_adapter.ts";
import { ensureHarvestTables, writeArbitrage, writeFeedHealth } from "./harvest_tables.ts";

/** Options of {@linkcode Harvester}. */
export interface HarvesterOptions {
  /** The validated configuration (exchanges, symbols, storage, risk.stale_after_s). */
  readonly config: Config;
  /** Destination store. */
  readonly store: SqliteStore;
  /** One JSON log line per incident and health report. Default: nothing. */
  readonly log?: (line: string) => void;
  /** Health report interval, ms. Default 10,000. */
  readonly healthIntervalMs?: number;
  /** Adapter timing overrides (tests use short ones). */
  readonly adapter?: Omit<AdapterOptions, "wsUrl" | "restUrl" | "instruments" | "sink">;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Pause after a failed store write before retrying, ms. Default 5,000. */
  readonly writeRetryMs?: number;
  /** Also receives every normalized event, after it is queued for the store (e.g. the paper trader's feed). */
  readonly onEvent?: (e: MarketEvent) => void;
}

/** Running totals of a {@linkcode Harvester}. */
export interface HarvestStats {
  events: number;
  trades: number;
  deltas: number;
  snapshots: number;
  book_pictures: number;
  health_rows: number;
  opportunities: number;
  resyncs: number;
  bad_frames: number;
  write_errors: number;
  /** Unwritten events dropped (oldest first) while the store refused writes; never acknowledged. */
  dropped_events: number;
  /** Events still unwritten after the final flush at stop (the store kept refusing). */
  unwritten_events: number;
}

const VENUES: readonly AdapterVenue[] = ["binance_us", "coinbase", "kraken", "kucoin"];

/** See the module documentation. */
export class Harvester {
  /** Running adapters. */
  readonly adapters: VenueAdapter[] = [];
  /** The arbitrage monitor. */
  readonly arbitrage: ArbitrageMonitor;
  /** Running totals. */
  readonly stats: HarvestStats = {
    events: 0,
    trades: 0,
    deltas: 0,
    snapshots: 0,
    book_pictures: 0,
    health_rows: 0,
    opportunities: 0,
    resyncs: 0,
    bad_frames: 0,
    write_errors: 0,
    dropped_events: 0,
    unwritten_events: 0,
  };
  readonly #o: HarvesterOptions;
  readonly #writer: StoreWriter;
  readonly #now: () => number;
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  #retention: RetentionRunner | undefined;

  /** @param options Configuration, store, log and timing. */
  constructor(options: HarvesterOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const s = options.config.storage;
    this.#writer = new StoreWriter(options.store, {
      batchSize: s.batch_size,
      snapshotDepth: s.snapshot_depth,
      maxBufferedEvents: s.max_buffered_events,
      ...(options.writeRetryMs !== undefined ? { retryMs: options.writeRetryMs } : {}),
      now: this.#now,
      onLog: (message) => this.#log({ kind: "store", message }),
    });
    const fees: Record<string, number> = {};
    for (const v of VENUES) {
      const ex = options.config.exchanges[v];
      if (ex?.enabled) fees[v] = ex.taker_fee_bps;
    }
    this.arbitrage = new ArbitrageMonitor({
      takerFeeBps: fees,
      staleAfterMs: options.config.risk.stale_after_s * 1000,
    });
  }

  /** Creates the tables, records the instruments, starts every enabled venue. */
  async start(): Promise<void> {
    ensureHarvestTables(this.#o.store.db);
    const { config } = this.#o;
    for (const venue of VENUES) {
      const ex = config.exchanges[venue];
      if (!ex?.enabled) continue;
      const symbols = Object.fromEntries(
        Object.entries(ex.symbols).filter(([s]) => config.symbols.includes(s)),
      );
      if (Object.keys(symbols).length === 0) continue;
      const adapter = createAdapter(venue, { ...ex, symbols }, {
        ...this.#o.adapter,
        sink: {
          onEvent: (e) => this.#onEvent(adapter, e),
          onBadFrame: (v, line) => {
            this.stats.bad_frames++;
            this.#log({ kind: "bad_frame", venue: v, message: line });
          },
          onResync: (v, symbol, reason) => {
            this.stats.resyncs++;
            this.#log({ kind: "resync", venue: v, symbol, reason });
          },
        },
      });
      this.adapters.push(adapter);
    }
    await this.#o.store.putInstruments(
      this.adapters.flatMap((a) => a.instruments),
    );
    for (const a of this.adapters) a.start();
    // The retention policy runs in the process that writes the store (nothing without caps).
    this.#retention = new RetentionRunner(this.#o.store, config, {
      log: (message) => this.#log({ kind: "retention", message }),
      now: this.#now,
    });
    this.#retention.start();
    this.#timers.push(
      setInterval(() => this.#pictures(), config.storage.snapshot_interval_s * 1000),
      setInterval(() => this.#health(), this.#o.healthIntervalMs ?? 10_000),
    );
  }

  /** Stops the venues and timers, closes open opportunities, writes everything buffered. */
  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    await this.#retention?.stop();
    await Promise.all(this.adapters.map((a) => a.stop()));
    this.#health();
    this.#saveArbitrage(this.arbitrage.closeAll(this.#now()));
    try {
      await this.#writer.flush();
    } catch (e) {
      this.#writeFailed(e);
      this.stats.unwritten_events = this.#writer.bufferedEvents;
      this.#log({
        kind: "store_unwritten",
        events: this.#writer.bufferedEvents,
        message: `${this.#writer.bufferedEvents} events could not be written at stop: ${
          e instanceof Error ? e.message : String(e)
        }`,
      });
    }
    this.stats.dropped_events = this.#writer.stats.dropped_events;
  }

  /** The store writer's counters (written, failed writes, pauses, drops). */
  get writerStats(): StoreWriter["stats"] {
    return this.#writer.stats;
  }

  #onEvent(adapter: VenueAdapter, e: MarketEvent): void {
    this.stats.events++;
    if (e.kind === "trade") this.stats.trades++;
    else if (e.kind === "delta") this.stats.deltas++;
    else this.stats.snapshots++;
    this.#writer.onEvent(e).catch((err) => this.#writeFailed(err));
    this.stats.dropped_events = this.#writer.stats.dropped_events;
    this.#o.onEvent?.(e);
    if (e.kind === "trade") return;
    const f = adapter.feeds.get(e.symbol);
    if (!f) return;
    const now = this.#now();
    const bid = f.sync.book.best("bid");
    const ask = f.sync.book.best("ask");
    this.arbitrage.update({
      venue: adapter.venue,
      symbol: e.symbol,
      bid: bid && priceToNumber(f.inst, bid.price),
      bidSize: bid ? sizeToNumber(f.inst, bid.size) : 0,
      ask: ask && priceToNumber(f.inst, ask.price),
      askSize: ask ? sizeToNumber(f.inst, ask.size) : 0,
      synced: f.sync.synced,
      time: e.receiveTime,
    }, now);
    this.#saveArbitrage(this.arbitrage.drainClosed());
  }

  #pictures(): void {
    const now = this.#now();
    for (const a of this.adapters) {
      for (const f of a.feeds.values()) {
        if (!f.sync.synced) continue;
        this.#writer.onBookSnapshot(f.sync.book, now, sequenceOf(f.sync));
        this.stats.book_pictures++;
      }
    }
  }

  #health(): void {
    const now = this.#now();
    this.arbitrage.tick(now);
    this.#saveArbitrage(this.arbitrage.drainClosed());
    const rows = this.adapters.flatMap((a) => a.health()).map((r) => ({ ...r, time: now }));
    try {
      writeFeedHealth(this.#o.store.db, rows);
      this.stats.health_rows += rows.length;
    } catch (e) {
      this.#writeFailed(e);
    }
    for (const r of rows) this.#log({ kind: "health", ...r });
  }

  #saveArbitrage(rows: ReturnType<ArbitrageMonitor["drainClosed"]>): void {
    if (rows.length === 0) return;
    try {
      writeArbitrage(this.#o.store.db, rows);
      this.stats.opportunities += rows.length;
    } catch (e) {
      this.#writeFailed(e);
    }
  }

  #writeFailed(e: unknown): void {
    this.stats.write_errors++;
    this.#log({ kind: "write_error", message: e instanceof Error ? e.message : String(e) });
  }

  #log(record: Record<string, unknown>): void {
    this.#o.log?.(JSON.stringify({ ...record, time: new Date(this.#now()).toISOString() }));
  }
}

/** The venue sequence a book reflects, when its sync exposes one (0 otherwise). */
function sequenceOf(sync: BookSync): number {
  const s = sync as { lastUpdateId?: number; sequence?: number };
  return s.lastUpdateId ?? s.sequence ?? 0;
}
