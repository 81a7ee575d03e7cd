/**
 * The first pass over Binance recordings (symbols, update-id ranges, decimal text, snapshots):
 * the evidence the reading pass decodes with. Other venues' storage archives name their books.
 *
 * @module
 */

import { attributeSnapshots, BinanceSurvey } from "../../core/market/binance_survey.ts";
import { surveyLines } from "../../core/market/binance_survey_lines.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";
import { venueInstruments } from "../../core/market/instruments.ts";
import { surveyInstruments } from "../../core/market/survey_instruments.ts";
import { lineBatches } from "./recording_lines.ts";

/** Most bytes of decompressed lines the survey keeps for the reading pass. */
const KEEP_BUDGET = 64 << 20;

/** What the first pass learned: instruments with the data's precision, snapshot owners. */
export interface RecordingEvidence {
  /** Instrument per venue symbol. */
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** Instrument of each bare snapshot, keyed `"<file index>:<line>"`. */
  readonly snapshotOwner: ReadonlyMap<string, Instrument>;
  /** Venue symbols with depth messages. */
  readonly depthSymbols: readonly string[];
  /** Files that could not be read whole (file, reason). */
  readonly problems: readonly string[];
}

/**
 * The first pass over the files: symbols, update-id ranges, decimal text, snapshots.
 *
 * @param kept Receives, per file index, the file's line batches when it was read without
 *   a problem and the bytes kept so far fit in 64 MiB, so the reading pass need not
 *   decompress it again.
 *
 * @throws {SnapshotAttributionError} When a snapshot's stream cannot be told (says what to pass).
 */
export async function surveyRecordings(
  files: readonly string[],
  options: { venue?: VenueId; snapshotSymbol?: string } = {},
  kept?: (Uint8Array[] | undefined)[],
): Promise<RecordingEvidence> {
  const venue = options.venue ?? "binance";
  if (venue !== "binance" && venue !== "binance_us") {
    // Storage archives of another venue: its own symbols; snapshots name their book.
    const instruments = new Map(venueInstruments(venue).map((i) => [i.venueSymbol, i]));
    return {
      instruments,
      snapshotOwner: new Map(),
      depthSymbols: [...instruments.keys()],
      problems: [],
    };
  }
  const survey = new BinanceSurvey();
  const text = new TextDecoder("utf-8", { ignoreBOM: true });
  const problems: string[] = [];
  let keptBytes = 0;
  const note = (msg: string) => void problems.push(msg);
  for (let f = 0; f < files.length; f++) {
    let lineNo = 0;
    const before = problems.length;
    let keep: Uint8Array[] | undefined = kept ? [] : undefined;
    for await (const bytes of lineBatches(files[f] as string, note)) {
      lineNo = surveyLines(survey, bytes, lineNo, f, text, false);
      keptBytes += bytes.length;
      if (keptBytes > KEEP_BUDGET) keep = undefined;
      keep?.push(bytes);
    }
    // Only a file read without a problem is kept: the second pass reports problems again.
    if (kept && problems.length === before) kept[f] = keep;
  }
  const explicit = options.snapshotSymbol;
  const owners = attributeSnapshots(survey, explicit?.replace("/", ""), (f) => files[f] as string);
  const instruments = surveyInstruments(venue, survey, owners, explicit);
  const snapshotOwner = new Map<string, Instrument>();
  for (const [k, v] of owners) snapshotOwner.set(k, instruments.get(v) as Instrument);
  const depthSymbols = [...survey.symbols.values()].filter((s) => s.depthMsgs > 0).map((s) =>
    s.venueSymbol
  );
  return { instruments, snapshotOwner, depthSymbols, problems };
}
