/**
 * Per-venue glue between cryptofeed recordings and the real venue parsers and
 * syncs: which parser reads the frames, how REST snapshots map to instruments,
 * which sync keeps each book.
 *
 * @module
 */

import { BinanceBookSync } from "../../../core/market/binance_sync.ts";
import { BinanceSurvey } from "../../../core/market/binance_survey.ts";
import { widenToData } from "../../../core/market/survey_instruments.ts";
import type { BookSync } from "../../../core/market/book_sync.ts";
import { CoinbaseBookSync } from "../../../core/market/coinbase_sync.ts";
import type { MarketEvent } from "../../../core/market/events.ts";
import { type Instrument, makeInstrument } from "../../../core/market/instrument.ts";
import { KrakenBookSync } from "../../../core/market/kraken_sync.ts";
import { KucoinBookSync } from "../../../core/market/kucoin_sync.ts";
import { OrderBook } from "../../../core/market/order_book.ts";
import { parseBinanceFrame } from "../../venues/binance/parse.ts";
import { parseCoinbaseLegacyFrame } from "../../venues/coinbase/legacy_parse.ts";
import { FrameError } from "../../venues/frame_error.ts";
import type { DropCounter } from "../../venues/frame_fields.ts";
import { krakenV1SnapshotDecimals, parseKrakenV1Frame } from "../../venues/kraken/parse_v1.ts";
import { parseKucoinSnapshot } from "../../venues/kucoin/parse.ts";
import { parseKucoinFrame } from "../../venues/kucoin/parse.ts";
import {
  binanceInstruments,
  coinbaseInstruments,
  krakenInstruments,
  kucoinInstruments,
} from "../../venues/metadata/venue_metadata.ts";
import type { ParsedFrame } from "../../venues/venue_item.ts";
import type { CryptofeedRecord } from "../../recording/cryptofeed_records.ts";

/** Venues whose cryptofeed recordings the replay reads. */
export type CryptofeedVenue = "binance_us" | "coinbase" | "kraken" | "kucoin";

/** File-name prefix of each venue in cryptofeed's `sample_data/`. */
export const CRYPTOFEED_NAMES: Record<CryptofeedVenue, string> = {
  binance_us: "BINANCE_US",
  coinbase: "COINBASE",
  kraken: "KRAKEN",
  kucoin: "KUCOIN",
};

/** How the replay reads one venue's recording. */
export interface CryptofeedDecoder {
  /** Parses one received WebSocket frame. */
  frame(text: string, receiveTime: number): ParsedFrame;
  /** Parses one REST response; undefined for responses that are not book snapshots. */
  http(url: string, body: string, receiveTime: number): MarketEvent | undefined;
  /**
   * Fixes each instrument's decimals from the recorded snapshots before any frame is
   * parsed (the books must not change scale mid-replay).
   */
  prepare(records: readonly CryptofeedRecord[]): void;
  /** Notes a message the client sent (Kraken: the subscribed book depth). */
  sent(body: string): void;
  /** Levels of REST snapshots dropped as out of the fixed-point range. */
  readonly restDrops: DropCounter;
  /** Instrument of a normalized symbol. */
  instrument(symbol: string): Instrument | undefined;
  /** The venue's sync for a new symbol. */
  makeSync(inst: Instrument): BookSync;
}

/**
 * Builds the decoder of a venue from its recorded metadata body.
 *
 * @throws {FrameError} When the metadata cannot be read.
 */
export function cryptofeedDecoder(venue: CryptofeedVenue, metadata: string): CryptofeedDecoder {
  const instruments = instrumentsOf(venue, metadata);
  const byVenueSymbol = new Map(instruments.map((i) => [i.venueSymbol, i]));
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const lookup = (s: string) => byVenueSymbol.get(s);
  const refine = (inst: Instrument) => {
    byVenueSymbol.set(inst.venueSymbol, inst);
    bySymbol.set(inst.symbol, inst);
  };
  const restDrops: DropCounter = { n: 0 };
  const base = {
    restDrops,
    prepare: (_records: readonly CryptofeedRecord[]) => {},
    instrument: (symbol: string) => bySymbol.get(symbol),
    sent: (_body: string) => {},
    http: (_url: string, _body: string, _t: number): MarketEvent | undefined => undefined,
  };
  const symbolParam = (url: string, venueName: string): Instrument => {
    const s = new URL(url).searchParams.get("symbol") ?? "";
    const inst = byVenueSymbol.get(s);
    if (!inst) throw new FrameError(venueName, `snapshot for unknown symbol "${s}"`);
    return inst;
  };
  switch (venue) {
    case "binance_us":
      return {
        ...base,
        prepare: (records) => {
          // Precision from the data: a snapshot or diff finer than the metadata's tick (the
          // tick changed since, or never matched the book) widens the scale, never drops.
          const survey = new BinanceSurvey();
          const snapFacts = new Map<string, BinanceSurvey>();
          records.forEach((r, i) => {
            if (r.kind === "received") survey.add(r.body, 0, i);
            else if (r.kind === "http" && r.url.includes("/depth")) {
              const s = new URL(r.url).searchParams.get("symbol") ?? "";
              const one = snapFacts.get(s) ?? new BinanceSurvey();
              one.add(r.body, 0, i);
              snapFacts.set(s, one);
            }
          });
          for (const inst of [...byVenueSymbol.values()]) {
            const facts = survey.symbols.get(inst.venueSymbol);
            const snaps = snapFacts.get(inst.venueSymbol)?.snapshots ?? [];
            if (!facts && snaps.length === 0) continue;
            let wide = facts ? widenToData(inst, facts) : inst;
            for (const snap of snaps) wide = widenToData(wide, snap);
            if (wide !== inst) refine(wide);
          }
        },
        frame: (text, receiveTime) => {
          const ev = parseBinanceFrame(text, { venue, receiveTime, lookup });
          return ev.kind === "ignored"
            ? { items: [{ kind: "control", type: "ignored", detail: ev.stream }] }
            : { items: [ev] };
        },
        http: (url, body, receiveTime) => {
          if (!url.includes("/depth")) return undefined;
          const snapshotInstrument = symbolParam(url, venue);
          const ev = parseBinanceFrame(body, { venue, receiveTime, lookup, snapshotInstrument });
          return ev.kind === "ignored" ? undefined : ev;
        },
        makeSync: (inst) => new BinanceBookSync(new OrderBook(inst)),
      };
    case "kucoin":
      return {
        ...base,
        prepare: (records) => {
          for (const r of records) {
            if (r.kind !== "http" || !r.url.includes("/orderbook/")) continue;
            const inst = byVenueSymbol.get(new URL(r.url).searchParams.get("symbol") ?? "");
            if (inst) refine(fitSizeDecimals(inst, r.body));
          }
        },
        frame: (text, receiveTime) => parseKucoinFrame(text, { receiveTime, lookup }),
        http: (url, body, receiveTime) =>
          url.includes("/orderbook/")
            ? parseKucoinSnapshot(body, symbolParam(url, venue), receiveTime, restDrops)
            : undefined,
        makeSync: (inst) => new KucoinBookSync(new OrderBook(inst)),
      };
    case "coinbase":
      return {
        ...base,
        frame: (text, receiveTime) => parseCoinbaseLegacyFrame(text, { receiveTime, lookup }),
        makeSync: (inst) => new CoinbaseBookSync(new OrderBook(inst)),
      };
    case "kraken": {
      let depth = 10;
      return {
        ...base,
        sent: (body) => {
          const d = /"name":"book","depth":(\d+)|"depth":(\d+),"name":"book"/.exec(body);
          if (d) depth = Number(d[1] ?? d[2]);
        },
        prepare: (records) => {
          for (const r of records) {
            const dec = r.kind === "received" ? krakenV1SnapshotDecimals(r.body) : undefined;
            const inst = dec && byVenueSymbol.get(dec.pair);
            if (!dec || !inst) continue;
            // v1 writes more decimals than pair_decimals on some pairs: keep its exact text.
            refine(makeInstrument({
              venue: "kraken",
              symbol: inst.symbol,
              venueSymbol: inst.venueSymbol,
              priceDecimals: Math.max(dec.price, inst.priceDecimals),
              sizeDecimals: Math.max(dec.size, inst.sizeDecimals),
            }));
          }
        },
        frame: (text, receiveTime) => {
          return parseKrakenV1Frame(text, { receiveTime, lookup });
        },
        makeSync: (inst) =>
          new KrakenBookSync(new OrderBook(inst), { depth, verifySnapshots: false }),
      };
    }
  }
}

function instrumentsOf(venue: CryptofeedVenue, metadata: string): Instrument[] {
  switch (venue) {
    case "binance_us":
      return binanceInstruments(metadata, "binance_us");
    case "kucoin":
      return kucoinInstruments(metadata);
    case "coinbase":
      return coinbaseInstruments(metadata);
    case "kraken":
      return krakenInstruments(metadata, "v1");
  }
}

/**
 * Widens an instrument's size decimals to the finest size a snapshot writes, as far as
 * the largest size still fits 15 significant digits (2^53 bound); levels that fit
 * neither way are dropped and counted by the parser.
 */
function fitSizeDecimals(inst: Instrument, body: string): Instrument {
  let frac = 0;
  let int = 0;
  for (const m of body.matchAll(/\["[0-9.]+","([0-9]+)(?:\.([0-9]*[1-9]))?0*"/g)) {
    int = Math.max(int, (m[1] as string).replace(/^0+/, "").length);
    frac = Math.max(frac, m[2]?.length ?? 0);
  }
  const sizeDecimals = Math.max(0, Math.min(frac, 15 - int));
  if (sizeDecimals === inst.sizeDecimals) return inst;
  return makeInstrument({
    venue: inst.venue,
    symbol: inst.symbol,
    venueSymbol: inst.venueSymbol,
    priceDecimals: inst.priceDecimals,
    sizeDecimals,
    priceTextDecimals: inst.priceTextDecimals,
    lotSize: 1,
  });
}
