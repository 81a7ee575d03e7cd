/**
 * The normalized-event recording format (`tickerml-events/1`): JSON Lines, a header line
 * `{"format":"tickerml-events/1"}` then one {@linkcode MarketEvent} a line with its own field
 * names, prices and sizes as the venue's decimal text of the default instrument
 * (`["61874.73","0.14298"]`). Unlike the Binance frame format it holds any venue and symbol,
 * so one file can carry every traded stream of a harvest (`export-recording --format events`).
 *
 * @module
 */

import { FrameError } from "./frame_error.ts";
import type { LevelUpdate, MarketEvent } from "./events.ts";
import {
  formatPrice,
  formatSize,
  type Instrument,
  parsePrice,
  parseSize,
  type VenueId,
} from "./instrument.ts";
import { defaultInstrument } from "./instruments.ts";

/** The header line's format name. */
export const EVENTS_FORMAT = "tickerml-events/1";

/** The header line of a recording. */
export function eventsHeader(): string {
  return JSON.stringify({ format: EVENTS_FORMAT });
}

/** True when `line` is the header of a `tickerml-events/1` recording. */
export function isEventsHeader(line: string): boolean {
  return line.startsWith("{") && line.includes(`"format":"${EVENTS_FORMAT}"`);
}

/** Encodes one event as a line (no newline). */
export function encodeEventLine(e: MarketEvent, inst: Instrument): string {
  const lv = (l: readonly LevelUpdate[]) =>
    l.map(([p, q]) => [formatPrice(inst, p), formatSize(inst, q)]);
  const head = {
    kind: e.kind,
    venue: e.venue,
    symbol: e.symbol,
    exchangeTime: e.exchangeTime,
    receiveTime: e.receiveTime,
  };
  if (e.kind === "trade") {
    return JSON.stringify({
      ...head,
      tradeId: e.tradeId,
      price: formatPrice(inst, e.price),
      size: formatSize(inst, e.size),
      takerSide: e.takerSide,
    });
  }
  if (e.kind === "snapshot") {
    return JSON.stringify({ ...head, sequence: e.sequence, bids: lv(e.bids), asks: lv(e.asks) });
  }
  return JSON.stringify({
    ...head,
    firstSequence: e.firstSequence,
    lastSequence: e.lastSequence,
    bids: lv(e.bids),
    asks: lv(e.asks),
    ...(e.checksum !== undefined ? { checksum: e.checksum } : {}),
  });
}

/**
 * Decodes one event line.
 *
 * @param lookup Instrument of a venue and symbol (default: the built-in instruments).
 * @throws {FrameError} Naming the field that is missing or wrong, or the unknown stream.
 */
export function decodeEventLine(
  line: string,
  lookup: (venue: VenueId, symbol: string) => Instrument | undefined = defaultInstrument,
): MarketEvent {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw new FrameError("events", `not JSON: ${(e as Error).message}`);
  }
  if (typeof o !== "object" || o === null) throw new FrameError("events", "expected a JSON object");
  const str = (k: string) => {
    if (typeof o[k] !== "string") throw new FrameError("events", `${k}: expected a string`);
    return o[k] as string;
  };
  const num = (k: string) => {
    if (typeof o[k] !== "number" || !Number.isFinite(o[k])) {
      throw new FrameError("events", `${k}: expected a finite number`);
    }
    return o[k] as number;
  };
  const venue = str("venue") as VenueId;
  const symbol = str("symbol");
  const inst = lookup(venue, symbol);
  if (!inst) throw new FrameError("events", `no instrument for ${venue} ${symbol}`);
  const head = {
    venue,
    symbol,
    exchangeTime: num("exchangeTime"),
    receiveTime: num("receiveTime"),
  };
  const levels = (k: string): LevelUpdate[] => {
    const v = o[k];
    if (!Array.isArray(v)) {
      throw new FrameError("events", `${k}: expected an array of [price, size]`);
    }
    return v.map((l) => {
      if (!Array.isArray(l) || typeof l[0] !== "string" || typeof l[1] !== "string") {
        throw new FrameError("events", `${k}: expected [price, size] decimal strings`);
      }
      return [parsePrice(inst, l[0]), parseSize(inst, l[1])] as const;
    });
  };
  const kind = str("kind");
  if (kind === "trade") {
    const side = str("takerSide");
    if (side !== "buy" && side !== "sell") {
      throw new FrameError("events", "takerSide: expected buy or sell");
    }
    return {
      ...head,
      kind,
      tradeId: str("tradeId"),
      price: parsePrice(inst, str("price")),
      size: parseSize(inst, str("size")),
      takerSide: side,
    };
  }
  if (kind === "snapshot") {
    return { ...head, kind, sequence: num("sequence"), bids: levels("bids"), asks: levels("asks") };
  }
  if (kind === "delta") {
    return {
      ...head,
      kind,
      firstSequence: num("firstSequence"),
      lastSequence: num("lastSequence"),
      bids: levels("bids"),
      asks: levels("asks"),
      ...(o.checksum !== undefined && o.checksum !== null ? { checksum: num("checksum") } : {}),
    };
  }
  throw new FrameError(
    "events",
    `kind: expected snapshot, delta or trade, got ${JSON.stringify(o.kind)}`,
  );
}
