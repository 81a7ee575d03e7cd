import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import type { KucoinDelta } from "../../core/market/kucoin_sync.ts";

/** Resolves a venue symbol ("BTCUSDT", "BTC-USD", "BTC/USD") to an instrument. */
export type InstrumentLookup = (venueSymbol: string) => Instrument | undefined;

/** Builds an {@linkcode InstrumentLookup} over instruments keyed by their venue symbol. */
export function lookupOf(instruments: Iterable<Instrument>): InstrumentLookup {
  const map = new Map<string, Instrument>();
  for (const i of instruments) map.set(i.venueSymbol, i);
  return (s) => map.get(s);
}

/** A protocol message that is not market data (acks, heartbeats, pongs, ...). */
export interface ControlItem {
  /** Discriminant. */
  readonly kind: "control";
  /** What the venue said. */
  readonly type:
    | "heartbeat"
    | "subscribed"
    | "unsubscribed"
    | "pong"
    | "welcome"
    | "ack"
    | "status"
    | "ignored";
  /** Normalized symbol the message is about, when it names one. */
  readonly symbol?: string;
  /** Extra facts (heartbeat counter, channel name, welcome id, ...). */
  readonly detail?: string;
}

/** An error the venue reported in-band (a rejected subscription, a rate limit). */
export interface VenueErrorItem {
  /** Discriminant. */
  readonly kind: "venue_error";
  /** The venue's message. */
  readonly message: string;
  /** Normalized symbol the error is about, when known. */
  readonly symbol?: string;
}

/** One item parsed out of a venue frame. */
export type VenueItem = MarketEvent | KucoinDelta | ControlItem | VenueErrorItem;

/** Everything one frame carried. */
export interface ParsedFrame {
  /** Items in frame order. */
  readonly items: readonly VenueItem[];
  /** Connection-level message counter (Coinbase Advanced Trade `sequence_num`), when sent. */
  readonly connectionSequence?: number;
  /** Book levels dropped because they did not fit the fixed point (see `LevelRangeError`). */
  readonly droppedLevels?: number;
}
