/**
 * The store contract's data: the bundled recording through the edge's real parser and sync.
 * The contract lives in infra/store/ (which imports only core/); the edge supplies the replay.
 *
 * @module
 */
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import type { RecordedSink, RecordedSummary } from "../../infra/store/store_contract.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";

/** Replays the bundled Binance recording into a sink (events and periodic book pictures). */
export function bundledReplay(sink: RecordedSink): Promise<RecordedSummary> {
  return replayBinanceRecording(BUNDLED_RECORDING, { sink });
}
