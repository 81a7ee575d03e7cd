/**
 * A {@linkcode FeatureSource} over one-minute candles, with the feature spec
 * the engine uses for one stream, so a model pretrained on candles has the
 * same inputs as one trained on L2 recordings. Features candles support:
 *
 * - technical group: the engine's own {@linkcode TechnicalIndicators} fed
 *   with each closed candle (as the engine feeds its 1-minute bars);
 * - flow group: `vwap_dev_bps_60s` (close vs the candle's typical price),
 *   `vwap_dev_bps_300s` (vs the volume-weighted typical price of the last 5),
 *   `rv_bps_60s` and `rv_bps_300s` (Parkinson high-low estimate over 1 and 5
 *   candles), `trade_flow_imbalance_60s` (2·taker buy / volume − 1, Binance
 *   klines only);
 * - everything else (the book, sub-minute windows, order-flow imbalance,
 *   sentiment, portfolio) is missing, with the group's missing flag set when
 *   the whole group is absent, as the engine does for absent groups.
 *
 * Labels need a bid and an ask: close ∓ half of `spreadBps` (an assumption,
 * stated in the report).
 *
 * @module
 */

import { buildFeatureSpec, defaultFeatureConfig, streamPrefix } from "../../core/features/spec.ts";
import { TechnicalIndicators } from "../../core/features/technical.ts";
import type { VenueId } from "../../core/market/instrument.ts";
import type { Candle } from "./candles.ts";
import type { FeatureSource, MarketRow } from "./market_rows.ts";

/** Builds the source. */
export function candleFeatureSource(
  candles: readonly Candle[],
  o: { venue: VenueId; symbol: string; spreadBps: number },
): FeatureSource & { readonly present: string[] } {
  const spec = buildFeatureSpec(defaultFeatureConfig([{ venue: o.venue, symbol: o.symbol }]));
  const p = streamPrefix({ venue: o.venue, symbol: o.symbol });
  const names = spec.features.map((d) => d.name);
  const at = (n: string): number => {
    const i = spec.index.get(n);
    if (i === undefined) throw new RangeError(`Feature spec lacks ${n}`);
    return i;
  };
  const tech = spec.config.technical;
  if (!tech) throw new RangeError("The default feature spec has no technical group");
  const techSlots = names.map((n, i) => [n, i] as const).filter(([n]) =>
    n.startsWith("tech.") && n !== "tech.missing"
  ).map(([, i]) => i);
  const flow = {
    vwap60: at(`${p}.flow.vwap_dev_bps_60s`),
    vwap300: at(`${p}.flow.vwap_dev_bps_300s`),
    rv60: at(`${p}.flow.rv_bps_60s`),
    rv300: at(`${p}.flow.rv_bps_300s`),
    tfi60: at(`${p}.flow.trade_flow_imbalance_60s`),
    missing: at(`${p}.flow.missing`),
  };
  const flags = names.map((n, i) => [n, i] as const).filter(([n]) => n.endsWith(".missing"));
  const present = [
    ...names.filter((n) => n.startsWith("tech.") && n !== "tech.missing"),
    `${p}.flow.vwap_dev_bps_60s`,
    `${p}.flow.vwap_dev_bps_300s`,
    `${p}.flow.rv_bps_60s`,
    `${p}.flow.rv_bps_300s`,
    ...(candles.some((c) => c.takerBuyVolume !== undefined)
      ? [`${p}.flow.trade_flow_imbalance_60s`]
      : []),
  ];
  const parkinson = (c: Candle) => Math.log(c.high / c.low) / Math.sqrt(4 * Math.LN2) * 1e4;
  return {
    spec,
    names,
    specHash: spec.hash,
    present,
    async *rows(): AsyncGenerator<MarketRow> {
      const ind = new TechnicalIndicators(tech);
      const f = names.length;
      for (let k = 0; k < candles.length; k++) {
        const c = candles[k] as Candle;
        ind.add({ openTime: c.time, high: c.high, low: c.low, close: c.close });
        const values = new Float64Array(f);
        const missing = new Uint8Array(f).fill(1);
        for (const [, i] of flags) values[i] = 1;
        const set = (i: number, v: number | undefined) => {
          if (v === undefined || !Number.isFinite(v)) return;
          values[i] = v;
          missing[i] = 0;
        };
        const tv = ind.values();
        let anyTech = false;
        techSlots.forEach((slot, j) => {
          if (tv[j] !== undefined) anyTech = true;
          set(slot, tv[j]);
        });
        values[at("tech.missing")] = anyTech ? 0 : 1;
        missing[at("tech.missing")] = 0;
        const typical = (x: Candle) => (x.high + x.low + x.close) / 3;
        set(flow.vwap60, (c.close / typical(c) - 1) * 1e4);
        set(flow.rv60, parkinson(c));
        if (k >= 4) {
          const last = candles.slice(k - 4, k + 1);
          const vol = last.reduce((s, x) => s + x.volume, 0);
          const vwap = vol > 0
            ? last.reduce((s, x) => s + typical(x) * x.volume, 0) / vol
            : undefined;
          set(flow.vwap300, vwap === undefined ? undefined : (c.close / vwap - 1) * 1e4);
          set(flow.rv300, Math.sqrt(last.reduce((s, x) => s + parkinson(x) ** 2, 0)));
        }
        if (c.takerBuyVolume !== undefined && c.volume > 0) {
          set(flow.tfi60, 2 * c.takerBuyVolume / c.volume - 1);
        }
        values[flow.missing] = 0;
        missing[flow.missing] = 0;
        for (const [, i] of flags) missing[i] = 0;
        const half = c.close * o.spreadBps / 2e4;
        yield {
          time: c.time + 60_000,
          features: values,
          missing,
          bid: c.close - half,
          ask: c.close + half,
        };
      }
    },
  };
}
