/**
 * Binance combined-stream recording lines (`<receive ns> <json frame>`, the
 * format `trainer/backtest/recording.ts` and the edge replay read) for one
 * synthetic venue/symbol stream: depth diffs, trades and the REST snapshot.
 * Prices are written at the instrument's tick (2 decimals) as 8-decimal text,
 * like Binance does.
 *
 * @module
 */

/** A price level: price in ticks (0.01), size in base units. */
export type Level = readonly [ticks: number, size: number];

/** Formats ticks of 0.01 as Binance price text. */
export function priceText(ticks: number): string {
  return (ticks / 100).toFixed(2) + "000000";
}

/** Formats a size as 8-decimal text. */
export function sizeText(size: number): string {
  return size.toFixed(8);
}

function line(receiveMs: number, frame: unknown): string {
  return `${Math.round(receiveMs)}000000 ${JSON.stringify(frame)}`;
}

/** A depth diff of the combined stream. */
export function depthLine(
  receiveMs: number,
  venueSymbol: string,
  first: number,
  last: number,
  bids: readonly Level[],
  asks: readonly Level[],
): string {
  const lv = (ls: readonly Level[]) => ls.map(([p, q]) => [priceText(p), sizeText(q)]);
  return line(receiveMs, {
    stream: `${venueSymbol.toLowerCase()}@depth@100ms`,
    data: {
      e: "depthUpdate",
      E: Math.round(receiveMs) - 5,
      s: venueSymbol,
      U: first,
      u: last,
      b: lv(bids),
      a: lv(asks),
    },
  });
}

/** A trade of the combined stream (`m` true = the buyer was the maker, i.e. a taker sell). */
export function tradeLine(
  receiveMs: number,
  venueSymbol: string,
  id: number,
  ticks: number,
  size: number,
  takerSide: "buy" | "sell",
): string {
  const t = Math.round(receiveMs) - 5;
  return line(receiveMs, {
    stream: `${venueSymbol.toLowerCase()}@trade`,
    data: {
      e: "trade",
      E: t,
      s: venueSymbol,
      t: id,
      p: priceText(ticks),
      q: sizeText(size),
      T: t,
      m: takerSide === "sell",
      M: true,
    },
  });
}

/** A bare REST depth snapshot (it names no symbol: the reader takes the file's). */
export function snapshotLine(
  receiveMs: number,
  lastUpdateId: number,
  bids: readonly Level[],
  asks: readonly Level[],
): string {
  const lv = (ls: readonly Level[]) => ls.map(([p, q]) => [priceText(p), sizeText(q)]);
  return line(receiveMs, { lastUpdateId, bids: lv(bids), asks: lv(asks) });
}
