/**
 * Read and upsert statements of the PostgreSQL store (the batch insert is in pg_batch.ts).
 *
 * @module
 */
import type { EventQuery } from "../../core/storage.ts";

/** Upserts instruments from column arrays (the `instruments` column order). */
export const INSTRUMENTS_UPSERT_SQL =
  `INSERT INTO instruments SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
         $5::text[], $6::int4[], $7::int4[], $8::int4[], $9::int4[], $10::int8[], $11::int8[])
       ON CONFLICT (venue, symbol) DO UPDATE SET venue_symbol = EXCLUDED.venue_symbol,
         base = EXCLUDED.base, quote = EXCLUDED.quote, price_decimals = EXCLUDED.price_decimals,
         size_decimals = EXCLUDED.size_decimals, price_text_decimals = EXCLUDED.price_text_decimals,
         size_text_decimals = EXCLUDED.size_text_decimals, tick_size = EXCLUDED.tick_size,
         lot_size = EXCLUDED.lot_size`;

/**
 * The events union (venue snapshots, deltas, trades) as {@linkcode rowToEvent} reads it, ordered
 * by receive time; ties by kind (snapshot, delta, trade), venue, symbol, sequence or trade id
 * (shorter ids first, so numeric ids sort numerically), then digest: a total order.
 */
export function eventsQuery(query: EventQuery): { sql: string; params: never[] } {
  const { where, params } = filter(query, "receive_time");
  const sql = `
SELECT 1 AS k, 0 AS r, venue, symbol, exchange_time, receive_time, sequence AS a, 0::int8 AS b,
  NULL::int8 AS c, bids, asks, NULL::text AS trade_id, NULL::int8 AS price, NULL::int8 AS size,
  NULL::text AS taker_side, 0 AS tl, digest AS h
  FROM order_books WHERE source = 'venue' ${where}
UNION ALL
SELECT 0, 1, venue, symbol, exchange_time, receive_time, first_sequence, last_sequence, checksum,
  bids, asks, NULL, NULL, NULL, NULL, 0, digest FROM book_deltas WHERE TRUE ${where}
UNION ALL
SELECT 2, 2, venue, symbol, exchange_time, receive_time, 0, 0, NULL, NULL, NULL, trade_id, price,
  size, taker_side, length(trade_id), 0 FROM trades WHERE TRUE ${where}
ORDER BY receive_time, r, venue, symbol, a, b, tl, trade_id, h`;
  return { sql, params };
}

/**
 * `AND ...` conditions (numbered parameters) for a venue, symbol and time range.
 *
 * @param query The filter.
 * @param timeCol Column the time range applies to.
 */
export function filter(query: EventQuery, timeCol: string): { where: string; params: never[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (
    cond: string,
    v: unknown,
  ) => (params.push(v), parts.push(`${cond} $${params.length}`));
  if (query.venue) add("venue =", query.venue);
  if (query.symbol) add("symbol =", query.symbol);
  if (query.fromTime !== undefined) add(`${timeCol} >=`, query.fromTime);
  if (query.toTime !== undefined) add(`${timeCol} <`, query.toTime);
  return { where: parts.map((p) => `AND ${p}`).join(" "), params: params as never[] };
}
