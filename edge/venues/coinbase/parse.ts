/**
 * Coinbase Advanced Trade public WebSocket frames: `l2_data` (snapshot / update
 * events; sides "bid" and "offer"), `market_trades`, `heartbeats`,
 * `subscriptions` and errors. Each frame carries the connection's `sequence_num`.
 *
 * @module
 */

import type { LevelUpdate, MarketEvent, Trade } from "../../../core/market/events.ts";
import { FrameError } from "../frame_error.ts";
import {
  instrumentFor,
  isObject,
  type Json,
  levelOf,
  parseJsonObject,
  reqArray,
  reqInt,
  reqString,
  rfc3339Ms,
} from "../frame_fields.ts";
import type { InstrumentLookup, ParsedFrame, VenueItem } from "../venue_item.ts";

const VENUE = "coinbase";

/**
 * Parses one Coinbase Advanced Trade frame.
 *
 * @param text Raw frame text.
 * @param options Receive time (epoch ms) and the lookup by product id ("BTC-USD").
 * @throws {FrameError} When the frame is malformed.
 */
export function parseCoinbaseFrame(
  text: string,
  options: { receiveTime: number; lookup: InstrumentLookup },
): ParsedFrame {
  const msg = parseJsonObject(text, VENUE);
  if (msg.type === "error") {
    return { items: [{ kind: "venue_error", message: String(msg.message ?? "error") }] };
  }
  const channel = reqString(msg, "channel", VENUE);
  const sequence = reqInt(msg, "sequence_num", VENUE);
  const time = rfc3339Ms(reqString(msg, "timestamp", VENUE), VENUE);
  const events = reqArray(msg, "events", VENUE);
  const items: VenueItem[] = [];
  for (const ev of events) {
    if (!isObject(ev)) throw new FrameError(VENUE, `${channel} event is not an object`);
    if (channel === "l2_data") items.push(book(ev, sequence, time, options));
    else if (channel === "market_trades") items.push(...trades(ev, options));
    else if (channel === "heartbeats") {
      items.push({ kind: "control", type: "heartbeat", detail: String(ev.heartbeat_counter) });
    } else if (channel === "subscriptions") {
      items.push({ kind: "control", type: "subscribed", detail: JSON.stringify(ev) });
    } else items.push({ kind: "control", type: "ignored", detail: channel });
  }
  return { items, connectionSequence: sequence };
}

function book(
  ev: Json,
  sequence: number,
  time: number,
  options: { receiveTime: number; lookup: InstrumentLookup },
): MarketEvent {
  const type = reqString(ev, "type", VENUE);
  const inst = instrumentFor(options.lookup, reqString(ev, "product_id", VENUE), VENUE);
  const bids: LevelUpdate[] = [];
  const asks: LevelUpdate[] = [];
  const updates = reqArray(ev, "updates", VENUE);
  for (let i = 0; i < updates.length; i++) {
    const u = updates[i];
    if (!isObject(u)) throw new FrameError(VENUE, `updates[${i}] is not an object`);
    const side = u.side === "bid" ? bids : u.side === "offer" ? asks : null;
    if (side === null) {
      throw new FrameError(VENUE, `updates[${i}].side must be bid or offer: "${String(u.side)}"`);
    }
    side.push(levelOf(inst, u.price_level, u.new_quantity, `updates[${i}]`));
  }
  const head = {
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: time,
    receiveTime: options.receiveTime,
    bids,
    asks,
  };
  if (type === "snapshot") return { ...head, kind: "snapshot", sequence };
  if (type === "update") {
    return { ...head, kind: "delta", firstSequence: sequence, lastSequence: sequence };
  }
  throw new FrameError(VENUE, `l2_data event type must be snapshot or update: "${type}"`);
}

function trades(ev: Json, options: { receiveTime: number; lookup: InstrumentLookup }): Trade[] {
  return reqArray(ev, "trades", VENUE).map((t, i): Trade => {
    if (!isObject(t)) throw new FrameError(VENUE, `trades[${i}] is not an object`);
    const inst = instrumentFor(options.lookup, reqString(t, "product_id", VENUE), VENUE);
    const side = reqString(t, "side", VENUE);
    if (side !== "BUY" && side !== "SELL") {
      throw new FrameError(VENUE, `trades[${i}].side must be BUY or SELL: "${side}"`);
    }
    const [price, size] = levelOf(inst, t.price, t.size, `trades[${i}]`);
    if (size <= 0) throw new FrameError(VENUE, `trades[${i}].size must be > 0`);
    return {
      kind: "trade",
      venue: inst.venue,
      symbol: inst.symbol,
      exchangeTime: rfc3339Ms(reqString(t, "time", VENUE), VENUE),
      receiveTime: options.receiveTime,
      tradeId: reqString(t, "trade_id", VENUE),
      price,
      size,
      // Passed through as the libraries do; the protocol reference marks the semantics [U].
      takerSide: side === "BUY" ? "buy" : "sell",
    };
  });
}
