import type { MarketEvent } from "../../core/market/events.ts";
import { fromFileUrl } from "../cli/paths.ts";
import { replayBinanceRecording, type ReplaySummary } from "../replay/binance_replay.ts";
import type { VenueId } from "../../core/market/instrument.ts";

/**
 * Reads Binance recordings (`<ns> <json>` lines, gzip or plain) into normalized
 * events in arrival order, through the same parser and replay the harvester uses.
 * Bad lines are counted in the summary and skipped.
 *
 * @param files Recording files in time order.
 * @param venue Venue tag of the recording (default "binance").
 * @returns The events and the replay summary.
 */
export async function loadRecordedEvents(
  files: readonly string[],
  venue: VenueId = "binance",
): Promise<{ events: MarketEvent[]; summary: ReplaySummary }> {
  const events: MarketEvent[] = [];
  const summary = await replayBinanceRecording(files, {
    venue,
    sink: { onEvent: (e) => void events.push(e) },
  });
  return { events, summary };
}

/** The bundled 11-minute Binance BTCUSDT recording (tests and benches). */
export const BTCUSDT_RECORDING: readonly string[] = [
  fromFileUrl(new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url)),
  fromFileUrl(new URL("../../testdata/binance-spot/btcusdt_20240809.gz", import.meta.url)),
];
