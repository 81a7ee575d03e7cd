import { ATR, EMA, MACD, PercentB, RSI } from "trading-signals";
import type { Trade } from "../market/events.ts";
import { type Instrument, priceToNumber } from "../market/instrument.ts";
import { OhlcvBuilder } from "../market/ohlcv.ts";
import { type FeatureSpec, type TechnicalConfig, technicalFeatureNames } from "./spec.ts";
import { slotsOf, type VectorWriter } from "./vector_writer.ts";

/** A closed bar as floats, for the indicators. */
export interface FloatBar {
  /** Bar start, epoch ms. */
  readonly openTime: number;
  /** High price. */
  readonly high: number;
  /** Low price. */
  readonly low: number;
  /** Close price. */
  readonly close: number;
}

/**
 * The streaming indicators of `trading-signals` fed with closed bars: RSI, MACD,
 * Bollinger %B, ATR and EMA pairs. All indicator math is the library's; this class
 * only scales the results (MACD and ATR in bps of the close, EMA pairs as a ratio
 * minus 1). An indicator that is not stable yet is missing (the MACD line needs
 * `long` bars, its signal and histogram `long + signal - 1`).
 */
export class TechnicalIndicators {
  readonly #rsi: RSI;
  readonly #macd: MACD;
  readonly #percentB: PercentB;
  readonly #atr: ATR;
  readonly #emas: [EMA, EMA][];
  #lastClose: number | undefined;

  /** @param config Indicator periods. */
  constructor(config: TechnicalConfig) {
    const [short, long, signal] = config.macd;
    this.#rsi = new RSI(config.rsi);
    this.#macd = new MACD(new EMA(short), new EMA(long), new EMA(signal));
    this.#percentB = new PercentB({
      interval: config.bollinger[0],
      deviationMultiplier: config.bollinger[1],
    });
    this.#atr = new ATR(config.atr);
    this.#emas = config.emaRatios.map(([f, s]) => [new EMA(f), new EMA(s)]);
  }

  /** Adds one closed bar. */
  add(bar: FloatBar): void {
    this.#lastClose = bar.close;
    this.#rsi.add(bar.close);
    this.#macd.add(bar.close);
    this.#percentB.add(bar.close);
    this.#atr.add({ high: bar.high, low: bar.low, close: bar.close });
    for (const [f, s] of this.#emas) {
      f.add(bar.close);
      s.add(bar.close);
    }
  }

  /**
   * Current values in {@linkcode technicalFeatureNames} order; undefined where the
   * indicator is not stable yet.
   */
  values(): (number | undefined)[] {
    const close = this.#lastClose;
    const macd = this.#macd.isStable ? this.#macd.getResult() : null;
    // The signal EMA runs on MACD values, so it is stable `signal - 1` bars after the MACD line.
    const signalStable = this.#macd.signal.isStable;
    const bps = (v: number | undefined) =>
      v === undefined || close === undefined ? undefined : v / close * 10_000;
    const atr = this.#atr.getResult();
    return [
      this.#rsi.getResult() ?? undefined,
      bps(macd?.macd),
      signalStable ? bps(macd?.signal) : undefined,
      signalStable ? bps(macd?.histogram) : undefined,
      this.#percentB.getResult() ?? undefined,
      bps(atr ?? undefined),
      ...this.#emas.map(([f, s]) =>
        f.isStable && s.isStable ? f.getResultOrThrow() / s.getResultOrThrow() - 1 : undefined
      ),
    ];
  }
}

/**
 * Technical features of the primary stream: 1-minute bars from
 * {@linkcode OhlcvBuilder} (the same builder the store writer uses), fed to
 * {@linkcode TechnicalIndicators} when they close (a bar closes when the first
 * trade of a later minute arrives, so it never changes after it is used). A bar
 * that started before the engine saw its first event is partial and is skipped, so
 * values do not depend on when in a minute the process started.
 */
export class TechnicalFeatures {
  readonly #builder = new OhlcvBuilder(60_000);
  readonly #indicators: TechnicalIndicators;
  readonly #inst: Instrument;
  readonly #slots: Int32Array;
  #startTime: number | undefined;
  /** Closed bars used so far. */
  barsUsed = 0;

  /**
   * @param spec The spec (slots and periods; `spec.config.technical` must be set).
   * @param inst The primary stream's instrument.
   */
  constructor(spec: FeatureSpec, inst: Instrument) {
    const tc = spec.config.technical as TechnicalConfig;
    this.#indicators = new TechnicalIndicators(tc);
    this.#inst = inst;
    this.#slots = slotsOf(spec, "tech", technicalFeatureNames(tc));
  }

  /** Sets the start time on the first call (the time of the engine's first event). */
  advanceTo(t: number): void {
    if (this.#startTime === undefined) this.#startTime = t;
  }

  /** Adds a primary-stream trade applied at time `t`. */
  onTrade(trade: Trade, t: number): void {
    if (this.#startTime === undefined) this.#startTime = t;
    const bar = this.#builder.onTrade(trade);
    if (!bar || bar.start < this.#startTime) return;
    this.barsUsed++;
    this.#indicators.add({
      openTime: bar.start,
      high: priceToNumber(this.#inst, bar.high),
      low: priceToNumber(this.#inst, bar.low),
      close: priceToNumber(this.#inst, bar.close),
    });
  }

  /** Writes the technical group. */
  write(out: VectorWriter): void {
    const values = this.#indicators.values();
    for (let i = 0; i < this.#slots.length; i++) {
      const v = values[i];
      const slot = this.#slots[i] as number;
      if (v === undefined) out.miss(slot);
      else out.set(slot, v);
    }
  }
}
