/**
 * KuCoin spot WebSocket frames (`welcome`, `ack`, `pong`, `error`, `message` on
 * `/market/level2:SYM` and `/market/match:SYM`) and REST bodies (level-2 snapshot,
 * `bullet-public` token).
 *
 * @module
 */

import type { BookSnapshot, LevelUpdate, Trade } from "../../../core/market/events.ts";
import type { Instrument } from "../../../core/market/instrument.ts";
import type { KucoinDelta } from "../../../core/market/kucoin_sync.ts";
import { FrameError } from "../frame_error.ts";
import {
  bookLevel,
  type DropCounter,
  instrumentFor,
  isObject,
  type Json,
  levelOf,
  parseJson,
  parseJsonObject,
  reqArray,
  reqInt,
  reqObject,
  reqString,
} from "../frame_fields.ts";
import type { InstrumentLookup, ParsedFrame, VenueItem } from "../venue_item.ts";

const VENUE = "kucoin";

/**
 * Parses one KuCoin WebSocket frame.
 *
 * @param text Raw frame text.
 * @param options Receive time (epoch ms) and the lookup by KuCoin symbol ("BTC-USDT").
 * @throws {FrameError} When the frame is malformed.
 */
export function parseKucoinFrame(
  text: string,
  options: { receiveTime: number; lookup: InstrumentLookup; widen?: boolean },
): ParsedFrame {
  const msg = parseJsonObject(text, VENUE);
  const type = reqString(msg, "type", VENUE);
  const id = typeof msg.id === "string" ? msg.id : String(msg.id ?? "");
  switch (type) {
    case "welcome":
      return { items: [{ kind: "control", type: "welcome", detail: id }] };
    case "ack":
      return { items: [{ kind: "control", type: "ack", detail: id }] };
    case "pong":
      return { items: [{ kind: "control", type: "pong", detail: id }] };
    case "error":
      return { items: [{ kind: "venue_error", message: String(msg.data ?? msg.code ?? "error") }] };
    case "message": {
      const drops = { n: 0, widen: options.widen === true };
      const item = message(msg, options, drops);
      return drops.n === 0 ? { items: [item] } : { items: [item], droppedLevels: drops.n };
    }
    default:
      return { items: [{ kind: "control", type: "ignored", detail: type }] };
  }
}

function message(
  msg: Json,
  options: { receiveTime: number; lookup: InstrumentLookup },
  drops: DropCounter,
): VenueItem {
  const topic = reqString(msg, "topic", VENUE);
  const data = reqObject(msg, "data", VENUE);
  if (topic.startsWith("/market/level2:")) return increment(data, options, drops);
  if (topic.startsWith("/market/match:")) return match(data, options);
  return { kind: "control", type: "ignored", detail: topic };
}

function records(
  changes: Json,
  key: "bids" | "asks",
  inst: Instrument,
  drops: DropCounter,
): { levels: LevelUpdate[]; sequences: number[]; priceZero: number } {
  const levels: LevelUpdate[] = [];
  const sequences: number[] = [];
  let priceZero = 0;
  const raw = reqArray(changes, key, VENUE);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    if (!Array.isArray(r) || typeof r[2] !== "string" || !/^\d{1,16}$/.test(r[2])) {
      throw new FrameError(VENUE, `'changes.${key}[${i}]' is not [price, size, sequence]`);
    }
    if (r[0] === "0") {
      priceZero++; // "If the price is 0, ignore the messages and update the sequence."
      continue;
    }
    const level = bookLevel(inst, r[0], r[1], `changes.${key}[${i}]`, drops);
    if (!level) continue;
    levels.push(level);
    sequences.push(Number(r[2]));
  }
  return { levels, sequences, priceZero };
}

function increment(
  data: Json,
  options: { receiveTime: number; lookup: InstrumentLookup },
  drops: DropCounter,
): KucoinDelta {
  const inst = instrumentFor(options.lookup, reqString(data, "symbol", VENUE), VENUE);
  const first = reqInt(data, "sequenceStart", VENUE);
  const last = reqInt(data, "sequenceEnd", VENUE);
  if (first > last) {
    throw new FrameError(VENUE, `l2update sequenceStart ${first} > sequenceEnd ${last}`);
  }
  const changes = reqObject(data, "changes", VENUE);
  const bids = records(changes, "bids", inst, drops);
  const asks = records(changes, "asks", inst, drops);
  return {
    kind: "delta",
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: typeof data.time === "number" ? data.time : 0,
    receiveTime: options.receiveTime,
    firstSequence: first,
    lastSequence: last,
    bids: bids.levels,
    asks: asks.levels,
    bidSequences: bids.sequences,
    askSequences: asks.sequences,
  };
}

function match(data: Json, options: { receiveTime: number; lookup: InstrumentLookup }): Trade {
  const inst = instrumentFor(options.lookup, reqString(data, "symbol", VENUE), VENUE);
  const side = reqString(data, "side", VENUE);
  if (side !== "buy" && side !== "sell") {
    throw new FrameError(VENUE, `match side must be buy or sell: "${side}"`);
  }
  const [price, size] = levelOf(inst, data.price, data.size, "match");
  if (size <= 0) throw new FrameError(VENUE, `match size must be > 0: "${data.size}"`);
  const ns = reqString(data, "time", VENUE);
  if (!/^\d{1,20}$/.test(ns)) throw new FrameError(VENUE, `match time is not nanoseconds: "${ns}"`);
  return {
    kind: "trade",
    venue: inst.venue,
    symbol: inst.symbol,
    // Nanoseconds exceed 2^53: keep the ms part exact and the rest as a fraction.
    exchangeTime: Number(ns.slice(0, -6) || "0") + Number(ns.slice(-6)) / 1e6,
    receiveTime: options.receiveTime,
    tradeId: reqString(data, "tradeId", VENUE),
    price,
    size,
    takerSide: side, // /market/match `side` is the taker's side
  };
}

/**
 * Parses a KuCoin REST level-2 snapshot body (`{"code":"200000","data":{sequence,...}}`).
 * Levels out of the instrument's fixed-point range are dropped and counted in `drops`.
 *
 * @throws {FrameError} When the body is an error or malformed.
 */
export function parseKucoinSnapshot(
  text: string,
  inst: Instrument,
  receiveTime: number,
  drops: DropCounter = { n: 0 },
): BookSnapshot {
  const body = parseJson(text, VENUE);
  if (!isObject(body)) throw new FrameError(VENUE, "snapshot body is not an object");
  if (body.code !== "200000") {
    throw new FrameError(VENUE, `snapshot error code ${String(body.code)}: ${String(body.msg)}`);
  }
  const data = reqObject(body, "data", VENUE);
  const side = (key: "bids" | "asks") => {
    const out: LevelUpdate[] = [];
    reqArray(data, key, VENUE).forEach((lv, i) => {
      if (!Array.isArray(lv)) throw new FrameError(VENUE, `'${key}[${i}]' is not an array`);
      const level = bookLevel(inst, lv[0], lv[1], `${key}[${i}]`, drops);
      if (level) out.push(level);
    });
    return out;
  };
  return {
    kind: "snapshot",
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: typeof data.time === "number" ? data.time : 0,
    receiveTime,
    sequence: reqInt(data, "sequence", VENUE),
    bids: side("bids"),
    asks: side("asks"),
  };
}

/** The WebSocket endpoint and timing a `bullet-public` token grants. */
export interface KucoinBullet {
  /** Token to put in the connect URL. */
  readonly token: string;
  /** WebSocket endpoint, e.g. "wss://ws-api-spot.kucoin.com/". */
  readonly endpoint: string;
  /** Client ping interval, ms. */
  readonly pingInterval: number;
  /** Pong timeout, ms. */
  readonly pingTimeout: number;
}

/** Parses the `POST /api/v1/bullet-public` response. */
export function parseKucoinBullet(text: string): KucoinBullet {
  const body = parseJson(text, VENUE);
  if (!isObject(body) || body.code !== "200000") {
    throw new FrameError(VENUE, "bullet-public response is not a success");
  }
  const data = reqObject(body, "data", VENUE);
  const server = reqArray(data, "instanceServers", VENUE)[0];
  if (!isObject(server)) throw new FrameError(VENUE, "bullet-public has no instance server");
  return {
    token: reqString(data, "token", VENUE),
    endpoint: reqString(server, "endpoint", VENUE),
    pingInterval: reqInt(server, "pingInterval", VENUE),
    pingTimeout: reqInt(server, "pingTimeout", VENUE),
  };
}
