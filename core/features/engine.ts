import type { BookSnapshot, MarketEvent } from "../market/events.ts";
import type { Instrument } from "../market/instrument.ts";
import { defaultInstrument } from "../market/instruments.ts";
import type { OrderBook } from "../market/order_book.ts";
import { CrossVenueFeatures } from "./cross_venue.ts";
import { PortfolioFeatures, type PortfolioState } from "./portfolio.ts";
import { type HourlySentiment, SentimentFeatures } from "./sentiment.ts";
import type { FeatureSpec, StreamRef } from "./spec.ts";
import { StreamState } from "./stream_state.ts";
import { TechnicalFeatures } from "./technical.ts";
import { slotsOf, VectorWriter } from "./vector_writer.ts";

/** A plug-in feature (experiments, tests); its name must be listed in `config.extras`. */
export interface ExtraFeature {
  /** Name as listed in `config.extras` (the vector name is `extra.<name>`). */
  readonly name: string;
  /** Sees every event the engine applies, with its (clamped) time. */
  onEvent?(event: MarketEvent, t: number): void;
  /** Value at decision time `t`; undefined when missing. */
  value(t: number): number | undefined;
}

/** Options of {@linkcode FeatureEngine}. */
export interface FeatureEngineOptions {
  /** Hourly sentiment aggregates (any order) for the sentiment features. */
  readonly sentiment?: readonly HourlySentiment[];
  /** Plug-in features, one per `config.extras` name. */
  readonly extras?: readonly ExtraFeature[];
  /** Instrument of a stream (default: {@linkcode defaultInstrument}). */
  readonly instrument?: (ref: StreamRef) => Instrument | undefined;
}

/** One feature vector at a decision time. */
export interface FeatureRow {
  /** Decision time, epoch ms: the vector reflects every event with time <= this. */
  readonly time: number;
  /** Values in spec order; missing values are 0 (see `missing` and the group flags). */
  readonly values: Float64Array;
  /** 1 where the value is missing. */
  readonly missing: Uint8Array;
  /** Features whose computed value was NaN or infinite (stored as missing). */
  readonly nonFinite: readonly string[];
}

/** Counters of an engine. */
export interface EngineCounters {
  /** Events applied. */
  events: number;
  /** Events of streams not in the spec (ignored). */
  ignored: number;
  /** Events whose time was before the engine's time (applied at the engine's time). */
  outOfOrder: number;
  /** Events with a non-finite receive time (ignored: they would corrupt every window). */
  badTime: number;
}

/**
 * The incremental feature engine: one instance per process (live) or per replay
 * (offline), fed normalized events in arrival order. Time is each event's
 * `receiveTime` (what the process knew when), never read from a clock.
 *
 * Live and offline use this same class; {@linkcode DecisionClock} decides when
 * vectors are taken.
 */
export class FeatureEngine {
  /** The spec the vectors follow. */
  readonly spec: FeatureSpec;
  /** Counters since construction. */
  readonly counters: EngineCounters = {
    events: 0,
    ignored: 0,
    outOfOrder: 0,
    badTime: 0,
  };
  readonly #streams: StreamState[] = [];
  readonly #byKey = new Map<string, StreamState>();
  readonly #tech: TechnicalFeatures | undefined;
  readonly #cross: CrossVenueFeatures | undefined;
  readonly #sentiment: SentimentFeatures | undefined;
  readonly #portfolio: PortfolioFeatures | undefined;
  readonly #extras: readonly ExtraFeature[];
  readonly #extraSlots: Int32Array;
  #time = -Infinity;

  /**
   * @param spec The feature spec.
   * @param options Sentiment input, plug-ins and instruments.
   * @throws {RangeError} When a stream has no instrument or the plug-ins do not match `config.extras`.
   */
  constructor(spec: FeatureSpec, options: FeatureEngineOptions = {}) {
    this.spec = spec;
    const c = spec.config;
    const lookup = options.instrument ?? ((r: StreamRef) => defaultInstrument(r.venue, r.symbol));
    for (const ref of c.streams) {
      const inst = lookup(ref);
      if (!inst) {
        throw new RangeError(
          `Cannot compute features for ${ref.venue} ${ref.symbol}: no instrument`,
        );
      }
      const state = new StreamState(spec, inst);
      this.#streams.push(state);
      this.#byKey.set(`${ref.venue} ${ref.symbol}`, state);
    }
    const primary = this.#streams[0] as StreamState;
    const primaryInst = primary.sync.book.instrument;
    this.#tech = c.technical ? new TechnicalFeatures(spec, primaryInst) : undefined;
    this.#cross = c.streams.length >= 2
      ? new CrossVenueFeatures(
        spec,
        this.#streams.map((s, i) => ({
          ref: c.streams[i] as StreamRef,
          midAt: (t: number) => s.midAt(t),
        })),
      )
      : undefined;
    this.#sentiment = c.sentimentMaxAgeHours === null
      ? undefined
      : new SentimentFeatures(spec, primaryInst.base, options.sentiment ?? []);
    this.#portfolio = c.portfolio ? new PortfolioFeatures(spec) : undefined;
    const extras = options.extras ?? [];
    const names = extras.map((e) => e.name);
    if (names.join("\n") !== c.extras.join("\n")) {
      throw new RangeError(
        `Cannot use plug-in features [${names}] as config.extras lists [${c.extras}]`,
      );
    }
    this.#extras = extras;
    this.#extraSlots = slotsOf(spec, "extra", names);
  }

  /** Time of the last event or vector, epoch ms. */
  get time(): number {
    return this.#time;
  }

  /** The book of a configured stream, or undefined. */
  book(venue: string, symbol: string): OrderBook | undefined {
    return this.#byKey.get(`${venue} ${symbol}`)?.sync.book;
  }

  /** Applies one normalized event (book snapshot, delta or trade) at its receive time. */
  onEvent(event: MarketEvent): void {
    let t = event.receiveTime;
    if (!Number.isFinite(t)) {
      this.counters.badTime++;
      return;
    }
    if (t < this.#time) {
      this.counters.outOfOrder++;
      t = this.#time;
    }
    this.#advance(t, false);
    const s = this.#byKey.get(`${event.venue} ${event.symbol}`);
    if (!s) {
      this.counters.ignored++;
      return;
    }
    this.counters.events++;
    if (event.kind === "trade") {
      s.onTrade(event, t);
      if (s === this.#streams[0]) this.#tech?.onTrade(event, t);
    } else {
      s.onBook(event, t);
    }
    for (const x of this.#extras) x.onEvent?.(event, t);
  }

  /** A venue feed went down: the stream is missing until new events (a new snapshot) arrive. */
  onFeedDown(venue: string, symbol: string): void {
    this.#byKey.get(`${venue} ${symbol}`)?.onFeedDown();
  }

  /**
   * The feature vector at time `t`, from every event applied so far (the caller
   * applies exactly the events with time <= t first: {@linkcode DecisionClock} does).
   *
   * @param t Decision time, epoch ms, not before the last event.
   * @param portfolio Portfolio at decision time (portfolio features are missing without it).
   * @throws {RangeError} When `t` is before the engine's time or not finite.
   */
  compute(t: number, portfolio?: PortfolioState): FeatureRow {
    if (!(t >= this.#time) || !Number.isFinite(t)) {
      throw new RangeError(
        `Cannot compute features at ${t} as the engine is already at ${this.#time}`,
      );
    }
    this.#advance(t, true);
    const out = new VectorWriter(this.spec);
    for (const s of this.#streams) s.write(out, t);
    this.#tech?.write(out);
    this.#cross?.write(out, t);
    this.#sentiment?.write(out, t);
    this.#portfolio?.write(out, t, portfolio);
    this.#extras.forEach((x, i) => {
      const v = x.value(t);
      const slot = this.#extraSlots[i] as number;
      if (v === undefined) out.miss(slot);
      else out.set(slot, v);
    });
    out.finish();
    return { time: t, values: out.values, missing: out.missing, nonFinite: out.nonFinite };
  }

  /**
   * Snapshots of every synced book at the current time, as events that seed a new
   * engine (what a restarted process gets from the venues' REST snapshots).
   */
  bookSnapshots(): BookSnapshot[] {
    const out: BookSnapshot[] = [];
    for (const s of this.#streams) {
      const sync = s.sync;
      if (!sync.synced) continue;
      const inst = sync.book.instrument;
      out.push({
        kind: "snapshot",
        venue: inst.venue,
        symbol: inst.symbol,
        exchangeTime: this.#time,
        receiveTime: this.#time,
        sequence: sync.lastUpdateId ?? 0,
        bids: sync.book.top("bid"),
        asks: sync.book.top("ask"),
      });
    }
    return out;
  }

  #advance(t: number, inclusive: boolean): void {
    this.#time = t;
    this.#tech?.advanceTo(t);
    this.#cross?.advanceTo(t, inclusive);
  }
}
