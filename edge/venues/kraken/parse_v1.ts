/**
 * Kraken WebSocket v1 frames (frozen API; used by the cryptofeed recording):
 * `[channelID, {"as","bs"}|{"a"}|{"b","c"}, (second dict), "book-N", pair]`,
 * `[channelID, [[price, volume, time, side, type, misc], ...], "trade", pair]`, and
 * `{"event": ...}` objects. v1 quotes prices and volumes as strings with fixed
 * decimals, so the checksum text is exact.
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
  parseJson,
} from "../frame_fields.ts";
import type { InstrumentLookup, ParsedFrame, VenueItem } from "../venue_item.ts";

const VENUE = "kraken";

/**
 * Parses one Kraken WS v1 frame.
 *
 * @param text Raw frame text.
 * @param options Receive time (epoch ms) and the lookup by v1 wsname ("XBT/USD").
 * @throws {FrameError} When the frame is malformed.
 */
export function parseKrakenV1Frame(
  text: string,
  options: { receiveTime: number; lookup: InstrumentLookup },
): ParsedFrame {
  const msg = parseJson(text, VENUE);
  if (isObject(msg)) return { items: [eventItem(msg)] };
  if (!Array.isArray(msg) || msg.length < 4) {
    throw new FrameError(VENUE, "v1 frame is neither an event object nor a channel array");
  }
  const pair = msg[msg.length - 1];
  const name = msg[msg.length - 2];
  if (typeof pair !== "string" || typeof name !== "string") {
    throw new FrameError(VENUE, "v1 channel array does not end with channel name and pair");
  }
  const inst = instrumentFor(options.lookup, pair, VENUE);
  if (name.startsWith("book-")) {
    const drops = { n: 0 };
    const item = bookItem(msg.slice(1, -2), inst, options, drops);
    return drops.n === 0 ? { items: [item] } : { items: [item], droppedLevels: drops.n };
  }
  if (name === "trade") return { items: tradeItems(msg[1], inst, options.receiveTime) };
  return { items: [{ kind: "control", type: "ignored", detail: name }] };
}

function eventItem(msg: Json): VenueItem {
  const event = msg.event;
  if (event === "heartbeat") return { kind: "control", type: "heartbeat" };
  if (event === "pong") return { kind: "control", type: "pong" };
  if (event === "systemStatus") {
    return { kind: "control", type: "status", detail: String(msg.status) };
  }
  if (event === "subscriptionStatus") {
    if (msg.status === "error") {
      return { kind: "venue_error", message: String(msg.errorMessage ?? "subscription error") };
    }
    const type = msg.status === "unsubscribed" ? "unsubscribed" : "subscribed";
    return { kind: "control", type, detail: String(msg.channelName ?? "") };
  }
  if (typeof event !== "string") throw new FrameError(VENUE, "v1 object has no 'event'");
  return { kind: "control", type: "ignored", detail: event };
}

function bookItem(
  dicts: unknown[],
  inst: Instrument,
  options: { receiveTime: number },
  drops: DropCounter,
): BookSnapshot | BookDelta {
  const bids: LevelUpdate[] = [];
  const asks: LevelUpdate[] = [];
  let checksum: number | undefined;
  let snapshot = false;
  let latest = 0;
  for (const d of dicts) {
    if (!isObject(d)) throw new FrameError(VENUE, "v1 book payload is not an object");
    for (const [key, value] of Object.entries(d)) {
      if (key === "c") {
        if (typeof value !== "string" || !/^\d{1,10}$/.test(value) || Number(value) > 0xFFFFFFFF) {
          throw new FrameError(VENUE, `v1 checksum 'c' is not a uint32 string`);
        }
        checksum = Number(value);
        continue;
      }
      const side = key === "a" || key === "as" ? asks : key === "b" || key === "bs" ? bids : null;
      if (side === null) throw new FrameError(VENUE, `v1 book has unknown key '${key}'`);
      if (key.length === 2) snapshot = true;
      if (!Array.isArray(value)) throw new FrameError(VENUE, `v1 book '${key}' is not an array`);
      for (let i = 0; i < value.length; i++) {
        const lv = value[i];
        if (!Array.isArray(lv)) throw new FrameError(VENUE, `v1 '${key}[${i}]' is not an array`);
        const level = bookLevel(inst, lv[0], lv[1], `${key}[${i}]`, drops);
        if (level) side.push(level);
        const t = Number(lv[2]);
        if (t > latest) latest = t;
      }
    }
  }
  const head = {
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: latest * 1000,
    receiveTime: options.receiveTime,
    bids,
    asks,
  };
  if (snapshot) return { ...head, kind: "snapshot", sequence: 0 };
  return {
    ...head,
    kind: "delta",
    firstSequence: 0,
    lastSequence: 0,
    ...(checksum === undefined ? {} : { checksum }),
  };
}

function tradeItems(rows: unknown, inst: Instrument, receiveTime: number): Trade[] {
  if (!Array.isArray(rows)) throw new FrameError(VENUE, "v1 trade payload is not an array");
  return rows.map((r, i): Trade => {
    if (!Array.isArray(r) || (r[3] !== "b" && r[3] !== "s")) {
      throw new FrameError(VENUE, `v1 trade[${i}] is not [price, volume, time, b|s, ...]`);
    }
    const [price, size] = levelOf(inst, r[0], r[1], `trade[${i}]`);
    const time = Number(r[2]);
    return {
      kind: "trade",
      venue: inst.venue,
      symbol: inst.symbol,
      exchangeTime: time * 1000,
      receiveTime,
      tradeId: `${r[2]}:${i}`, // v1 trades carry no id
      price,
      size,
      takerSide: r[3] === "b" ? "buy" : "sell",
    };
  });
}

/**
 * The decimals a v1 book snapshot frame writes its prices and volumes with (v1 text
 * may carry more decimals than AssetPairs `pair_decimals`, e.g. XMR/USD "354.80000000"
 * with pair_decimals 2); the checksum needs exactly that text.
 *
 * @returns The pair and its text decimals, or undefined when the frame is not a v1 snapshot.
 */
export function krakenV1SnapshotDecimals(
  text: string,
): { pair: string; price: number; size: number } | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(msg) || msg.length < 4) return undefined;
  const pair = msg[msg.length - 1];
  const first = msg[1];
  if (typeof pair !== "string" || !isObject(first)) return undefined;
  const levels = first.as ?? first.bs;
  const lv = Array.isArray(levels) ? levels[0] : undefined;
  if (!Array.isArray(lv) || typeof lv[0] !== "string" || typeof lv[1] !== "string") {
    return undefined;
  }
  const decimals = (s: string) => (s.includes(".") ? s.length - s.indexOf(".") - 1 : 0);
  return { pair, price: decimals(lv[0]), size: decimals(lv[1]) };
}
