import {
  type BinanceFrame,
  type BinanceFrameOptions,
  decodeBinanceFrame,
} from "../../../core/market/binance_frame.ts";
import { parseJson } from "../frame_fields.ts";

export type { BinanceFrame, InstrumentLookup } from "../../../core/market/binance_frame.ts";

/**
 * Parses one Binance / Binance.US JSON frame text; see {@linkcode decodeBinanceFrame}.
 *
 * @param text The raw JSON text of the frame.
 * @param options Venue tag, receive time (epoch ms), instrument lookup and snapshot instrument.
 * @returns The normalized event, or `{ kind: "ignored" }` for streams TickerML does not use.
 * @throws {FrameError} When the frame is not valid JSON or misses or mistypes a field.
 */
export function parseBinanceFrame(text: string, options: BinanceFrameOptions): BinanceFrame {
  return decodeBinanceFrame(parseJson(text, options.venue), options);
}
