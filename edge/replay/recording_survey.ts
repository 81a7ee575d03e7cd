import {
  attributeSnapshots,
  BinanceSurvey,
  SnapshotAttributionError,
} from "../../core/market/binance_survey.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { splitRecordedLine } from "../../core/market/recorded_line.ts";
import { surveyInstruments } from "../../core/market/survey_instruments.ts";
import { readRecordedLines } from "../../infra/recording/recorded_lines.ts";

/** What a replay knows about a recording before it parses it. */
export interface RecordingEvidence {
  /** Instrument of every venue symbol the recording holds, with the data's precision. */
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** Instrument of each bare REST snapshot, keyed `"<file index>:<line>"`. */
  readonly snapshotOwner: ReadonlyMap<string, Instrument>;
}

/**
 * Surveys Binance recording files (one cheap pass: symbols, update-id ranges, decimal
 * text, snapshot positions) and derives the instruments and the owner of every bare
 * snapshot from that evidence (see `attributeSnapshots` in core/market/binance_survey.ts).
 *
 * @param files Recording files, in replay order.
 * @param venue Venue tag.
 * @param symbol Normalized symbol the user named (`--symbol`), if any.
 * @returns The evidence.
 * @throws {SnapshotAttributionError} When a snapshot's owner is ambiguous (names what to pass).
 */
export async function surveyBinanceFiles(
  files: readonly string[],
  venue: "binance" | "binance_us",
  symbol?: string,
): Promise<RecordingEvidence> {
  const survey = new BinanceSurvey();
  for (let f = 0; f < files.length; f++) {
    for await (const item of readRecordedLines(files[f] as string)) {
      if (item.kind !== "line") continue;
      const line = splitRecordedLine(item.text);
      if (line) survey.add(line.frame, f, item.lineNo);
    }
  }
  const explicit = symbol?.replace("/", "");
  const attribution = attributeSnapshots(survey, explicit, (f) => files[f] as string);
  let instruments: Map<string, Instrument>;
  try {
    instruments = surveyInstruments(venue, survey, attribution, symbol);
  } catch (e) {
    throw new SnapshotAttributionError((e as Error).message);
  }
  const snapshotOwner = new Map<string, Instrument>();
  for (const [key, owner] of attribution) {
    const inst = instruments.get(owner);
    if (inst) snapshotOwner.set(key, inst);
  }
  return { instruments, snapshotOwner };
}
