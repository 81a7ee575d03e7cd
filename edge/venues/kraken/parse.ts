/**
 * Kraken WebSocket v2 frames (`book`, `trade`, `heartbeat`, `status`, method
 * replies). Kraken v2 sends prices and quantities as JSON numbers "containing full
 * precision"; `JSON.parse` would turn them into doubles and lose the decimal text
 * the checksum needs, so the frame's `price`/`qty` number tokens are quoted before
 * parsing and converted exactly.
 *
 * @module
 */

import type { BookDelta, BookSnapshot, LevelUpdate, Trade } from "../../../core/market/events.ts";
import type { Instrument } from "../../../core/market/instrument.ts";
import { FrameError } from "../frame_error.ts";
import {
  bookLevel,
  type DropCounter,
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

const VENUE = "kraken";
const NUMBER_FIELDS = /"(price|qty)"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** A Kraken v2 snapshot carries its checksum too. */
export type KrakenSnapshot = BookSnapshot & {
  readonly checksum?: number;
  /** Most decimals written in the snapshot's prices and quantities (its text precision). */
  readonly textDecimals?: { readonly price: number; readonly qty: number };
};

/** Quotes the `price` and `qty` number tokens of a v2 frame so their exact text survives. */
export function quoteKrakenNumbers(text: string): string {
  return text.replace(NUMBER_FIELDS, '"$1":"$2"');
}

/**
 * Parses one Kraken WS v2 frame.
 *
 * @param text Raw frame text.
 * @param options Receive time (epoch ms) and the lookup by v2 symbol ("BTC/USD").
 * @throws {FrameError} When the frame is malformed.
 */
export function parseKrakenFrame(
  text: string,
  options: { receiveTime: number; lookup: InstrumentLookup; widen?: boolean },
): ParsedFrame {
  const msg = parseJsonObject(quoteKrakenNumbers(text), VENUE);
  if (typeof msg.method === "string") return { items: [methodReply(msg, options.lookup)] };
  const channel = reqString(msg, "channel", VENUE);
  switch (channel) {
    case "heartbeat":
      return { items: [{ kind: "control", type: "heartbeat" }] };
    case "status":
      return { items: [{ kind: "control", type: "status", detail: JSON.stringify(msg.data) }] };
    case "book": {
      const drops = { n: 0, widen: options.widen === true };
      const items = bookItems(msg, options, drops);
      return drops.n === 0 ? { items } : { items, droppedLevels: drops.n };
    }
    case "trade":
      return { items: tradeItems(msg, options) };
    default:
      return { items: [{ kind: "control", type: "ignored", detail: channel }] };
  }
}

function methodReply(msg: Json, lookup: InstrumentLookup): VenueItem {
  const method = msg.method as string;
  if (method === "pong") return { kind: "control", type: "pong" };
  const result = isObject(msg.result) ? msg.result : {};
  const venueSymbol = typeof result.symbol === "string" ? result.symbol : undefined;
  const symbol = venueSymbol === undefined ? undefined : lookup(venueSymbol)?.symbol;
  const tag = symbol === undefined ? {} : { symbol };
  if (msg.success === false) {
    const error = typeof msg.error === "string" ? msg.error : "request failed";
    return { kind: "venue_error", message: `${method}: ${error}`, ...tag };
  }
  const detail = typeof result.channel === "string" ? result.channel : method;
  if (method === "subscribe") return { kind: "control", type: "subscribed", detail, ...tag };
  if (method === "unsubscribe") return { kind: "control", type: "unsubscribed", detail, ...tag };
  return { kind: "control", type: "ignored", detail: method };
}

function sideLevels(entry: Json, key: string, inst: Instrument, drops: DropCounter): LevelUpdate[] {
  const raw = reqArray(entry, key, VENUE);
  const out: LevelUpdate[] = [];
  for (let i = 0; i < raw.length; i++) {
    const lv = raw[i];
    if (!isObject(lv)) throw new FrameError(VENUE, `'${key}[${i}]' is not an object`);
    const level = bookLevel(inst, lv.price, lv.qty, `${key}[${i}]`, drops);
    if (level) out.push(level);
  }
  return out;
}

function bookItems(
  msg: Json,
  options: { receiveTime: number; lookup: InstrumentLookup },
  drops: DropCounter,
): VenueItem[] {
  const type = reqString(msg, "type", VENUE);
  if (type !== "snapshot" && type !== "update") {
    throw new FrameError(VENUE, `book type must be snapshot or update: "${type}"`);
  }
  const out: VenueItem[] = [];
  for (const entry of reqArray(msg, "data", VENUE)) {
    if (!isObject(entry)) throw new FrameError(VENUE, "book data entry is not an object");
    const inst = instrumentFor(options.lookup, reqString(entry, "symbol", VENUE), VENUE);
    const checksum = reqInt(entry, "checksum", VENUE);
    if (checksum > 0xFFFFFFFF) throw new FrameError(VENUE, `checksum out of range: ${checksum}`);
    const exchangeTime = typeof entry.timestamp === "string"
      ? rfc3339Ms(entry.timestamp, VENUE)
      : 0;
    const head = {
      venue: inst.venue,
      symbol: inst.symbol,
      exchangeTime,
      receiveTime: options.receiveTime,
      bids: sideLevels(entry, "bids", inst, drops),
      asks: sideLevels(entry, "asks", inst, drops),
      checksum,
    };
    if (type === "snapshot") {
      const textDecimals = { price: 0, qty: 0 };
      for (const key of ["bids", "asks"]) {
        for (const lv of entry[key] as Json[]) {
          textDecimals.price = Math.max(textDecimals.price, fractionDigits(lv.price));
          textDecimals.qty = Math.max(textDecimals.qty, fractionDigits(lv.qty));
        }
      }
      const snap: KrakenSnapshot = { ...head, kind: "snapshot", sequence: 0, textDecimals };
      out.push(snap);
    } else {
      const delta: BookDelta = { ...head, kind: "delta", firstSequence: 0, lastSequence: 0 };
      out.push(delta);
    }
  }
  return out;
}

function tradeItems(
  msg: Json,
  options: { receiveTime: number; lookup: InstrumentLookup },
): VenueItem[] {
  const out: VenueItem[] = [];
  for (const t of reqArray(msg, "data", VENUE)) {
    if (!isObject(t)) throw new FrameError(VENUE, "trade data entry is not an object");
    const inst = instrumentFor(options.lookup, reqString(t, "symbol", VENUE), VENUE);
    const side = reqString(t, "side", VENUE);
    if (side !== "buy" && side !== "sell") {
      throw new FrameError(VENUE, `trade side must be buy or sell: "${side}"`);
    }
    const [price, size] = levelOf(inst, t.price, t.qty, "trade");
    if (size <= 0) throw new FrameError(VENUE, `trade qty must be > 0: "${t.qty}"`);
    const trade: Trade = {
      kind: "trade",
      venue: inst.venue,
      symbol: inst.symbol,
      exchangeTime: rfc3339Ms(reqString(t, "timestamp", VENUE), VENUE),
      receiveTime: options.receiveTime,
      tradeId: String(reqInt(t, "trade_id", VENUE)),
      price,
      size,
      takerSide: side, // v2 `side` is the taker's side
    };
    out.push(trade);
  }
  return out;
}

function fractionDigits(v: unknown): number {
  if (typeof v !== "string") return 0;
  const dot = v.indexOf(".");
  return dot < 0 || /[eE]/.test(v) ? 0 : v.length - dot - 1;
}
