/**
 * The loopback exchange simulator: one {@linkcode VenueServer} per venue on
 * 127.0.0.1, each driven by a deterministic {@linkcode SyntheticMarket} per symbol
 * with a small per-venue price offset (so cross-venue spreads exist), a speed
 * multiplier, and fault injection.
 *
 * @module
 */

import type { VenueId } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { OrderBook } from "../../core/market/order_book.ts";
import type { Fault } from "./faults.ts";
import { SyntheticMarket } from "./synthetic_market.ts";
import { loadRecording, RecordedMarket } from "./recorded_market.ts";
import type { SimMarket, VenueServer } from "./venue_server.ts";
import { SentLog } from "./sent_log.ts";
import { BinanceUsServer } from "./venues/binance_us_server.ts";
import { CoinbaseServer } from "./venues/coinbase_server.ts";
import { KrakenServer } from "./venues/kraken_server.ts";
import { KucoinServer } from "./venues/kucoin_server.ts";

/** Venues the simulator speaks. */
export type SimVenue = "binance_us" | "coinbase" | "kraken" | "kucoin";

/** Every simulated venue. */
export const SIM_VENUES: readonly SimVenue[] = ["binance_us", "coinbase", "kraken", "kucoin"];

/** Options of {@linkcode ExchangeSimulator.start}. */
export interface SimulatorOptions {
  /** Venues to serve. Default all four. */
  readonly venues?: readonly SimVenue[];
  /** Normalized symbols (each venue serves those it lists). Default BTC/USDT, ETH/USDT, BTC/USD, ETH/USD. */
  readonly symbols?: readonly string[];
  /** Seed of the markets. Default 1. */
  readonly seed?: number;
  /** Market steps per second per symbol at speed 1. Default 10 (Binance's 100 ms depth cadence). */
  readonly stepsPerSecond?: number;
  /** Speed multiplier. Default 1. */
  readonly speed?: number;
  /** Levels per side of each market. Default 25. */
  readonly levels?: number;
  /** Fixed ports per venue (default any free port). */
  readonly ports?: Partial<Record<SimVenue, number>>;
  /**
   * What drives BTC symbols: "synthetic" (default) or "recorded" (the Binance BTCUSDT
   * recording re-expressed per venue; other symbols stay synthetic).
   */
  readonly source?: "synthetic" | "recorded";
  /** Recording files for `source: "recorded"`. Default the bundled testdata/binance-spot files. */
  readonly recording?: readonly string[];
  /** Directory of the per-book sent-log files (sent_log.ts); none by default. */
  readonly sentLogDir?: string;
}

const CENTRES: Record<string, number> = { BTC: 60_000, ETH: 3_000 };
const DEFAULT_RECORDING = ["btcusdt_20240808.gz", "btcusdt_20240809.gz"].map((f) =>
  new URL(`../../testdata/binance-spot/${f}`, import.meta.url).pathname
);
const OFFSET_BPS: Record<SimVenue, number> = { binance_us: 0, coinbase: 6, kraken: -4, kucoin: 3 };

/** See the module documentation. */
export class ExchangeSimulator {
  /** Servers by venue. */
  readonly servers: Map<SimVenue, VenueServer>;
  readonly #stepsPerSecond: number;
  #speed: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #steps = 0;
  readonly #sentLog: SentLog | undefined;

  private constructor(servers: Map<SimVenue, VenueServer>, options: SimulatorOptions) {
    this.servers = servers;
    if (options.sentLogDir !== undefined) {
      const log = new SentLog(options.sentLogDir);
      this.#sentLog = log;
      for (const [venue, s] of servers) s.sentLog = (symbol, key) => log.record(venue, symbol, key);
    }
    this.#stepsPerSecond = options.stepsPerSecond ?? 10;
    this.#speed = options.speed ?? 1;
  }

  /** Builds the markets and starts every venue server. */
  static async start(options: SimulatorOptions = {}): Promise<ExchangeSimulator> {
    const symbols = options.symbols ?? ["BTC/USDT", "ETH/USDT", "BTC/USD", "ETH/USD"];
    const recording = options.source === "recorded"
      ? await loadRecording(options.recording ?? DEFAULT_RECORDING)
      : undefined;
    const servers = new Map<SimVenue, VenueServer>();
    for (const venue of options.venues ?? SIM_VENUES) {
      const markets: SimMarket[] = [];
      symbols.forEach((symbol, i) => {
        const inst = defaultInstrument(venue as VenueId, symbol);
        if (!inst) return; // the venue does not list it (KuCoin has no USD pairs)
        const unit = 10 ** inst.priceDecimals;
        const base = CENTRES[inst.base] ?? 100;
        const centre = Math.round(base * (1 + OFFSET_BPS[venue] / 10_000) * unit);
        const spacing = Math.max(1, Math.round(unit * (base >= 10_000 ? 0.1 : 0.01)));
        const seed = (options.seed ?? 1) * 1000 + SIM_VENUES.indexOf(venue) * 10 + i;
        const market = recording && inst.base === "BTC"
          ? new RecordedMarket(recording, inst, OFFSET_BPS[venue])
          : new SyntheticMarket(inst, {
            centre: centre - (centre % spacing),
            seed,
            spacing,
            ...(options.levels ? { levels: options.levels } : {}),
          });
        markets.push({ inst, market });
      });
      const server = venue === "binance_us"
        ? new BinanceUsServer(markets)
        : venue === "coinbase"
        ? new CoinbaseServer(markets)
        : venue === "kraken"
        ? new KrakenServer(markets)
        : new KucoinServer(markets);
      await server.start(options.ports?.[venue] ?? 0);
      servers.set(venue, server);
    }
    return new ExchangeSimulator(servers, options);
  }

  /** Market steps taken so far. */
  get steps(): number {
    return this.#steps;
  }

  /** Advances every market of every venue `n` steps. */
  step(n = 1): void {
    for (let i = 0; i < n; i++) {
      const now = Date.now();
      for (const s of this.servers.values()) s.step(now);
      this.#steps++;
    }
  }

  /** Steps on a timer at `stepsPerSecond * speed`. */
  run(): void {
    this.pause();
    const perSecond = this.#stepsPerSecond * this.#speed;
    const interval = Math.max(1, 1000 / perSecond);
    const batch = Math.max(1, Math.round(perSecond / 1000)); // above 1 kHz, several per tick
    this.#timer = setInterval(() => this.step(batch), interval);
  }

  /** Stops the timer (servers keep serving). */
  pause(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Changes the speed multiplier (restarts the timer when running). */
  setSpeed(speed: number): void {
    this.#speed = speed;
    if (this.#timer !== undefined) this.run();
  }

  /** Injects a fault on one venue. */
  inject(venue: SimVenue, fault: Fault): void {
    const server = this.servers.get(venue);
    if (!server) throw new RangeError(`Cannot inject into ${venue}: not simulated`);
    server.inject(fault, Date.now());
  }

  /** The truth book of a venue's symbol. */
  truth(venue: SimVenue, symbol: string): OrderBook {
    const book = this.servers.get(venue)?.markets.get(symbol)?.market.book;
    if (!book) throw new RangeError(`Cannot read truth: ${venue} ${symbol} is not simulated`);
    return book;
  }

  /** `ws_url` / `rest_url` per venue, in the shape of config.yaml's `exchanges`. */
  urls(): Record<string, { ws_url: string; rest_url: string }> {
    return Object.fromEntries([...this.servers].map(([v, s]) => [v, s.urls()]));
  }

  /** Stops the timer and every server. */
  async stop(): Promise<void> {
    this.pause();
    await Promise.all([...this.servers.values()].map((s) => s.stop()));
    this.#sentLog?.close();
  }
}
