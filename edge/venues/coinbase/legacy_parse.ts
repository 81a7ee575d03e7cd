/**
 * Coinbase Exchange (`ws-feed`, formerly Pro) frames as in the cryptofeed
 * recording: `snapshot`, `l2update`, `match` / `last_match`, `subscriptions`,
 * `ticker`, `heartbeat`, `error`. The live Exchange `level2` needs keys, so this
 * parser serves recordings; live collection uses Advanced Trade (parse.ts).
 *
 * @module
 */

import type { LevelUpdate, MarketEvent } from "../../../core/market/events.ts";
import type { Instrument } from "../../../core/market/instrument.ts";
import { FrameError } from "../frame_error.ts";
import {
  instrumentFor,
  type Json,
  levelOf,
  parseJsonObject,
  reqArray,
  reqInt,
  reqString,
  rfc3339Ms,
} from "../frame_fields.ts";
import type { InstrumentLookup, ParsedFrame } from "../venue_item.ts";

const VENUE = "coinbase";

/**
 * Parses one Coinbase Exchange (legacy) frame.
 *
 * @param text Raw frame text.
 * @param options Receive time (epoch ms) and the lookup by product id.
 * @throws {FrameError} When the frame is malformed.
 */
export function parseCoinbaseLegacyFrame(
  text: string,
  options: { receiveTime: number; lookup: InstrumentLookup },
): ParsedFrame {
  const msg = parseJsonObject(text, VENUE);
  const type = reqString(msg, "type", VENUE);
  switch (type) {
    case "snapshot":
    case "l2update":
    case "match":
    case "last_match": {
      const inst = instrumentFor(options.lookup, reqString(msg, "product_id", VENUE), VENUE);
      const event = type === "snapshot"
        ? snapshot(msg, inst, options.receiveTime)
        : type === "l2update"
        ? l2update(msg, inst, options.receiveTime)
        : match(msg, inst, options.receiveTime);
      return { items: [event] };
    }
    case "subscriptions":
      return { items: [{ kind: "control", type: "subscribed" }] };
    case "heartbeat":
      return { items: [{ kind: "control", type: "heartbeat" }] };
    case "error":
      return { items: [{ kind: "venue_error", message: String(msg.reason ?? msg.message) }] };
    default:
      return { items: [{ kind: "control", type: "ignored", detail: type }] };
  }
}

function pairs(msg: Json, key: string, inst: Instrument): LevelUpdate[] {
  return reqArray(msg, key, VENUE).map((lv, i) => {
    if (!Array.isArray(lv)) throw new FrameError(VENUE, `'${key}[${i}]' is not an array`);
    return levelOf(inst, lv[0], lv[1], `${key}[${i}]`);
  });
}

function snapshot(msg: Json, inst: Instrument, receiveTime: number): MarketEvent {
  return {
    kind: "snapshot",
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: 0,
    receiveTime,
    sequence: 0,
    bids: pairs(msg, "bids", inst),
    asks: pairs(msg, "asks", inst),
  };
}

function l2update(msg: Json, inst: Instrument, receiveTime: number): MarketEvent {
  const bids: LevelUpdate[] = [];
  const asks: LevelUpdate[] = [];
  const changes = reqArray(msg, "changes", VENUE);
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    if (!Array.isArray(c) || (c[0] !== "buy" && c[0] !== "sell")) {
      throw new FrameError(VENUE, `'changes[${i}]' is not [buy|sell, price, size]`);
    }
    (c[0] === "buy" ? bids : asks).push(levelOf(inst, c[1], c[2], `changes[${i}]`));
  }
  return {
    kind: "delta",
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: rfc3339Ms(reqString(msg, "time", VENUE), VENUE),
    receiveTime,
    firstSequence: 0,
    lastSequence: 0,
    bids,
    asks,
  };
}

function match(msg: Json, inst: Instrument, receiveTime: number): MarketEvent {
  const side = reqString(msg, "side", VENUE);
  if (side !== "buy" && side !== "sell") {
    throw new FrameError(VENUE, `match side must be buy or sell: "${side}"`);
  }
  const [price, size] = levelOf(inst, msg.price, msg.size, "match");
  if (size <= 0) throw new FrameError(VENUE, `match size must be > 0: "${msg.size}"`);
  return {
    kind: "trade",
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: rfc3339Ms(reqString(msg, "time", VENUE), VENUE),
    receiveTime,
    tradeId: String(reqInt(msg, "trade_id", VENUE)),
    price,
    size,
    takerSide: side === "buy" ? "sell" : "buy", // `side` is the maker's side
  };
}
