/**
 * The harvester: runs the configured venue adapters and writes what they see to
 * the store (every normalized event, periodic book pictures, 1-minute OHLCV via
 * {@linkcode StoreWriter}), feed health per venue/symbol (store + log), and the
 * cross-venue arbitrage monitor's opportunities.
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import { instrumentChange, refreshedInstrument } from "../venues/metadata/instrument_refresh.ts";
import { type Instrument, priceToNumber, sizeToNumber } from "../../core/market/instrument.ts";
import { ArbitrageMonitor } from "../../core/trading/strategy/arbitrage.ts";
import type { SqliteDatabase as DatabaseSync } from "../../infra/store/sqlite_db.ts";
import { StoreWriter } from "../../infra/store/store_writer.ts";
import { RetentionRunner } from "../archive/retention_runner.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { type AdapterVenue, createAdapter } from "../venues/adapter_factory.ts";
import type { VenueAdapter } from "../venues/venue_adapter.ts";
import {
  loadVenueInstruments,
  METADATA_MAX_AGE_MS,
  resolveInstruments,
} from "../venues/metadata/instrument_source.ts";
import { type HarvesterOptions, type HarvestStats } from "./harvester_options.ts";
import { isRepeat, sequenceOf } from "./repeated_frames.ts";
import {
  ensureHarvestTables,
  writeArbitrage,
  writeFeedHealth,
} from "../../infra/store/harvest/harvest_tables.ts";

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
    repeated_deltas: 0,
    dropped_events: 0,
    unwritten_events: 0,
    instrument_changes: 0,
  };
  readonly #o: HarvesterOptions;
  readonly #writer: StoreWriter;
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  /** The last delta of each book, to drop a frame the venue repeats. */
  readonly #lastDelta = new Map<string, MarketEvent & { kind: "delta" }>();
  #retention: RetentionRunner | undefined;

  /** @param options Configuration, store, log and timing. */
  constructor(options: HarvesterOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const db = options.db ?? (options.store as { db?: DatabaseSync }).db;
    if (!db) throw new Error("Harvester: a non-SQLite store needs the `db` for feed health");
    this.#db = db;
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
    ensureHarvestTables(this.#db);
    const { config } = this.#o;
    for (const venue of VENUES) {
      const ex = config.exchanges[venue];
      if (!ex?.enabled) continue;
      const symbols = Object.fromEntries(
        Object.entries(ex.symbols).filter(([s]) => config.symbols.includes(s)),
      );
      if (Object.keys(symbols).length === 0) continue;
      const instruments = await this.#instruments(venue, ex.rest_url, symbols);
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
          onInstrument: (v, inst, message) => {
            // The book was rebuilt at the new scale; the store's instruments row follows.
            this.stats.instrument_changes++;
            this.#log({ kind: "instrument", venue: v, symbol: inst.symbol, message });
            this.#o.store.putInstruments([inst]).catch((err) => this.#writeFailed(err));
          },
        },
      }, instruments);
      this.adapters.push(adapter);
    }
    await this.#o.store.putInstruments(
      this.adapters.flatMap((a) => a.instruments),
    );
    for (const a of this.adapters) a.start();
    // The retention policy runs in the process that writes the store (nothing without caps).
    // PostgreSQL keeps its own policies (TimescaleDB); the archive is the SQLite path's.
    if (this.#o.store instanceof SqliteStore) {
      this.#retention = new RetentionRunner(this.#o.store, config, {
        log: (message) => this.#log({ kind: "retention", message }),
        now: this.#now,
      });
      this.#retention.start();
    }
    this.#timers.push(
      setInterval(() => this.#pictures(), config.storage.snapshot_interval_s * 1000),
      setInterval(() => this.#health(), this.#o.healthIntervalMs ?? 10_000),
    );
    if (this.#o.metadata !== false) {
      this.#timers.push(setInterval(() => this.refreshMetadata(), METADATA_MAX_AGE_MS));
    }
  }

  /** The configured symbols' instruments: venue metadata, else the built-in table. */
  async #instruments(
    venue: AdapterVenue,
    restUrl: string,
    symbols: Record<string, string>,
  ): Promise<Instrument[]> {
    const log = (message: string) => this.#log({ kind: "metadata", venue, message });
    const meta = this.#o.metadata === false
      ? undefined
      : await loadVenueInstruments(venue, restUrl, { ...this.#o.metadata, log });
    return resolveInstruments(venue, symbols, meta?.instruments ?? [], log);
  }

  /**
   * Daily: refetches each venue's metadata into the cache; a symbol whose tick, lot or minimum
   * notional changed is resynced on the new instrument (its book rebuilt, the store's row
   * updated through `onInstrument`).
   */
  async refreshMetadata(): Promise<void> {
    for (const a of this.adapters) {
      const ex = this.#o.config.exchanges[a.venue as AdapterVenue];
      if (!ex || this.#o.metadata === false) continue;
      const log = (message: string) => this.#log({ kind: "metadata", venue: a.venue, message });
      const meta = await loadVenueInstruments(a.venue as AdapterVenue, ex.rest_url, {
        ...this.#o.metadata,
        force: true,
        log,
      });
      for (const inst of a.instruments) {
        const next = refreshedInstrument(inst, meta.instruments);
        if (next) a.applyInstrument(next, `metadata changed: ${instrumentChange(inst, next)}`);
      }
    }
  }

  /**
   * Stops the venues and timers, stores a last picture of every synced book, closes open
   * opportunities, writes everything buffered.
   */
  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    await this.#retention?.stop();
    await Promise.all(this.adapters.map((a) => a.stop()));
    // The final picture of every synced book: the store ends on the adapters' own books.
    this.#pictures();
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
    if (e.kind === "delta") {
      const key = `${e.venue}|${e.symbol}`;
      if (isRepeat(this.#lastDelta.get(key), e)) {
        this.stats.repeated_deltas++;
        return;
      }
      this.#lastDelta.set(key, e);
    }
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
      writeFeedHealth(this.#db, rows);
      this.stats.health_rows += rows.length;
    } catch (e) {
      this.#writeFailed(e);
    }
    for (const r of rows) this.#log({ kind: "health", ...r });
  }

  #saveArbitrage(rows: ReturnType<ArbitrageMonitor["drainClosed"]>): void {
    if (rows.length === 0) return;
    try {
      writeArbitrage(this.#db, rows);
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

export type { HarvesterOptions, HarvestStats } from "./harvester_options.ts";
