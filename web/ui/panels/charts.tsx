import { effect } from "@preact/signals";
import {
  AreaSeries,
  CandlestickSeries,
  ColorType,
  createChart,
  type IChartApi,
  LineSeries,
  type UTCTimestamp,
} from "lightweight-charts";
import type { JSX, RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { BarView } from "../../live/types.ts";
import { fetchBars } from "../api.ts";
import type { DashboardModel } from "../state.ts";
import { Panel } from "./common.tsx";

const THEME = {
  layout: { background: { type: ColorType.Solid, color: "#11161d" }, textColor: "#9fb0c3" },
  grid: { vertLines: { color: "#1c2430" }, horzLines: { color: "#1c2430" } },
  timeScale: { timeVisible: true, secondsVisible: true },
  autoSize: true,
} as const;

/** Points keyed by epoch ms as chart points in seconds, one per second (the last wins). */
export function toSeconds<T extends { time: number }>(
  points: readonly T[],
  value: (p: T) => number,
): { time: UTCTimestamp; value: number }[] {
  const out: { time: UTCTimestamp; value: number }[] = [];
  for (const p of points) {
    const t = Math.floor(p.time / 1000) as UTCTimestamp;
    const last = out[out.length - 1];
    if (last && last.time === t) last.value = value(p);
    else if (!last || t > last.time) out.push({ time: t, value: value(p) });
  }
  return out;
}

function useChart(build: (chart: IChartApi) => () => void): RefObject<HTMLDivElement> {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = createChart(ref.current, THEME);
    const dispose = build(chart);
    return () => {
      dispose();
      chart.remove();
    };
  }, []);
  return ref;
}

/** Equity (top pane) and drawdown below the running peak (bottom pane). */
export function EquityChart(props: { model: DashboardModel }): JSX.Element {
  const m = props.model;
  const ref = useChart((chart) => {
    const equity = chart.addSeries(LineSeries, { color: "#4fc3f7", lineWidth: 2 });
    const drawdown = chart.addSeries(AreaSeries, {
      lineColor: "#ef5350",
      topColor: "rgba(239,83,80,0.05)",
      bottomColor: "rgba(239,83,80,0.4)",
      priceFormat: { type: "percent" },
    }, 1);
    return effect(() => {
      equity.setData(toSeconds(m.curve.value, (p) => p.equity));
      drawdown.setData(toSeconds(m.drawdownCurve.value, (p) => p.value * 100));
      chart.timeScale().fitContent();
    });
  });
  return (
    <Panel title="Equity and drawdown" id="equity-chart" wide>
      <div class="chart" ref={ref} />
    </Panel>
  );
}

/** 1-minute candles of the selected book, extended live by its trades. */
export function PriceChart(props: { model: DashboardModel }): JSX.Element {
  const m = props.model;
  const ref = useChart((chart) => {
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: "#26a69a",
      downColor: "#ef5350",
      wickUpColor: "#26a69a",
      wickDownColor: "#ef5350",
      borderVisible: false,
    });
    let last: BarView | undefined;
    let book = "";
    let generation = 0;
    let seenSeq = 0;
    const load = () => {
      const g = ++generation;
      const [venue, symbol] = book.split(" ");
      if (!venue || !symbol) return;
      fetchBars(venue, symbol).then((bars) => {
        if (g !== generation) return;
        candles.setData(bars.map((b) => ({ ...b, time: b.time as UTCTimestamp })));
        last = bars[bars.length - 1];
      }).catch(() => {});
    };
    const stopBook = effect(() => {
      book = m.selectedBook.value;
      candles.setData([]);
      last = undefined;
      load();
      chart.timeScale().fitContent();
    });
    // The store's 1-minute bars are the truth; reload them every 30 s, trades extend in between.
    const timer = setInterval(load, 30_000);
    const stopTrades = effect(() => {
      const fresh = m.trades.value.filter((t) => t.seq > seenSeq).reverse();
      if (fresh.length > 0) seenSeq = fresh[fresh.length - 1]!.seq;
      for (const t of fresh) {
        if (`${t.venue} ${t.symbol}` !== book) continue;
        const minute = Math.floor(t.time / 60_000) * 60;
        if (last && minute < last.time) continue;
        last = last && last.time === minute
          ? {
            ...last,
            high: Math.max(last.high, t.price),
            low: Math.min(last.low, t.price),
            close: t.price,
          }
          : { time: minute, open: t.price, high: t.price, low: t.price, close: t.price, volume: 0 };
        candles.update({ ...last, time: last.time as UTCTimestamp });
      }
    });
    return () => {
      clearInterval(timer);
      stopBook();
      stopTrades();
    };
  });
  return (
    <Panel title={`Price ${m.selectedBook.value}`} id="price-chart" wide>
      <div class="chart" ref={ref} />
    </Panel>
  );
}
