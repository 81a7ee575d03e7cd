/**
 * One {@linkcode StoreBatch} as a single PostgreSQL statement: column arrays `unnest`ed into
 * four inserts chained by CTEs (one round trip, atomic as one statement, any number of rows).
 *
 * @module
 */
import type { OhlcvBar } from "../../core/market/ohlcv.ts";
import type { StoreBatch } from "../../core/storage.ts";
import { barValues, type ColumnValue, eventValues, periodicBookValues } from "./store_rows.ts";

/** Column arrays in the parameter order of {@linkcode INSERT_BATCH_SQL} (JSON-serializable). */
export type BatchParams = ColumnValue[][];

/** Index of each table's first column array in {@linkcode BatchParams}. */
const FIRST_PARAM = { book_deltas: 0, trades: 9, order_books: 17, ohlcv: 29 } as const;

const TS = "floor(CASE WHEN e > 0 THEN e ELSE r END)::bigint";
const HEX = (col: string) => `encode(float8send(${col}), 'hex')`;

/**
 * The batch insert. Events and books skip rows whose natural key exists (idempotent retries,
 * several edges); bars are upserted but never replaced by a bar with fewer trades (a late or
 * partial copy of a bar cannot overwrite a more complete one). Returns rows inserted per table.
 */
export const INSERT_BATCH_SQL = `
WITH d AS (
  INSERT INTO book_deltas (venue, symbol, ts, exchange_time, receive_time, first_sequence,
    last_sequence, bids, asks, checksum, digest)
  SELECT v, s, ${TS}, e, r, a, b, bi, ak, c,
    hashtextextended(concat_ws('|', ${HEX("e")}, c::text, bi, ak), 0)
  FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::int8[], $6::int8[],
    $7::text[], $8::text[], $9::int8[]) AS x(v, s, e, r, a, b, bi, ak, c)
  ON CONFLICT DO NOTHING RETURNING 1
), t AS (
  INSERT INTO trades (venue, symbol, trade_id, ts, price, size, taker_side, exchange_time,
    receive_time)
  SELECT v, s, id, ${TS}, p, q, side, e, r
  FROM unnest($10::text[], $11::text[], $12::text[], $13::int8[], $14::int8[], $15::text[],
    $16::float8[], $17::float8[]) AS x(v, s, id, p, q, side, e, r)
  ON CONFLICT DO NOTHING RETURNING 1
), b AS (
  INSERT INTO order_books (venue, symbol, source, ts, exchange_time, receive_time, sequence,
    best_bid, best_ask, bid_levels, ask_levels, bids, asks, digest)
  SELECT v, s, src, floor(r)::bigint, e, r, q, bb, ba, bl, al, bi, ak,
    hashtextextended(concat_ws('|', bi, ak), 0)
  FROM unnest($18::text[], $19::text[], $20::text[], $21::float8[], $22::float8[], $23::int8[],
    $24::int8[], $25::int8[], $26::int4[], $27::int4[], $28::text[], $29::text[])
    AS x(v, s, src, e, r, q, bb, ba, bl, al, bi, ak)
  ON CONFLICT DO NOTHING RETURNING 1
), o AS (
  INSERT INTO ohlcv AS old (venue, symbol, start, open, high, low, close, volume, trades)
  SELECT * FROM unnest($30::text[], $31::text[], $32::int8[], $33::int8[], $34::int8[],
    $35::int8[], $36::int8[], $37::int8[], $38::int4[])
  ON CONFLICT (venue, symbol, start) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high,
    low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume, trades = EXCLUDED.trades
    WHERE old.trades <= EXCLUDED.trades
  RETURNING 1
)
SELECT (SELECT count(*) FROM d) AS book_deltas, (SELECT count(*) FROM t) AS trades,
  (SELECT count(*) FROM b) AS order_books, (SELECT count(*) FROM o) AS ohlcv`;

/**
 * Turns a batch into the statement's column arrays.
 *
 * @returns The parameters and the number of rows they hold.
 */
export function batchParams(batch: StoreBatch): { params: BatchParams; rows: number } {
  const p: BatchParams = Array.from({ length: 38 }, () => []);
  const push = (from: number, values: ColumnValue[]) =>
    values.forEach((v, i) => p[from + i]!.push(v));
  for (const e of batch.events ?? []) {
    const { table, values } = eventValues(e);
    push(FIRST_PARAM[table], values);
  }
  for (const b of batch.books ?? []) push(FIRST_PARAM.order_books, periodicBookValues(b));
  for (const b of latestBars(batch.bars ?? [])) push(FIRST_PARAM.ohlcv, barValues(b));
  const rows = Object.values(FIRST_PARAM).reduce<number>((n, i) => n + p[i]!.length, 0);
  return { params: p, rows };
}

/** One bar per (venue, symbol, start): the one with most trades (one upsert may not touch a row twice). */
function latestBars(bars: readonly OhlcvBar[]): OhlcvBar[] {
  const byKey = new Map<string, OhlcvBar>();
  for (const b of bars) {
    const key = `${b.venue}|${b.symbol}|${b.start}`;
    const seen = byKey.get(key);
    if (!seen || seen.trades <= b.trades) byKey.set(key, b);
  }
  return [...byKey.values()];
}
