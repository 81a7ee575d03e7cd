import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { fromFileUrl } from "../../infra/file_url.ts";
import { replayBinanceRecording, type ReplaySummary } from "../replay/binance_replay.ts";
import type { VenueId } from "../../core/market/instrument.ts";

/**
 * Reads Binance recordings (`<ns> <json>` lines, gzip or plain) into normalized
 * events in arrival order, through the same parser and replay the harvester uses.
 * Bad lines are counted in the summary and skipped; `summary.problems` says why a
 * result is not usable.
 *
 * @param files Recording files in time order.
 * @param venue Venue tag of the recording (default "binance").
 * @param symbol Symbol the user named for snapshots the evidence cannot attribute.
 * @returns The events, the replay summary and the instruments (the data's precision).
 * @throws {SnapshotAttributionError} When a snapshot's stream cannot be told.
 */
export async function loadRecordedEvents(
  files: readonly string[],
  venue: VenueId = "binance",
  symbol?: string,
): Promise<{ events: MarketEvent[]; summary: ReplaySummary; instruments: Instrument[] }> {
  const events: MarketEvent[] = [];
  let instruments: Instrument[] = [];
  const summary = await replayBinanceRecording(files, {
    venue,
    ...(symbol ? { snapshotSymbol: symbol } : {}),
    onInstruments: (i) => void (instruments = [...i]),
    sink: { onEvent: (e) => void events.push(e) },
  });
  return { events, summary, instruments };
}

/** The bundled 11-minute Binance BTCUSDT recording (tests and benches). */
export const BTCUSDT_RECORDING: readonly string[] = [
  fromFileUrl(new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url)),
  fromFileUrl(new URL("../../testdata/binance-spot/btcusdt_20240809.gz", import.meta.url)),
];
