import {
  attributeSnapshots,
  BinanceSurvey,
  SnapshotAttributionError,
} from "../../core/market/binance_survey.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { surveyLines } from "../../core/market/binance_survey_lines.ts";
import { surveyInstruments } from "../../core/market/survey_instruments.ts";
import { readRecordedBatches, type RecordedBatch } from "../../infra/recording/recorded_lines.ts";

/** What a replay knows about a recording before it parses it. */
export interface RecordingEvidence {
  /** Instrument of every venue symbol the recording holds, with the data's precision. */
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** Instrument of each bare REST snapshot, keyed `"<file index>:<line>"`. */
  readonly snapshotOwner: ReadonlyMap<string, Instrument>;
}

/**
 * The batches of the files a survey read, kept (up to a budget of bytes) so that the
 * replay after it decodes them without reading and decompressing the files again.
 */
export class KeptBatches {
  readonly #byFile: (RecordedBatch[] | undefined)[] = [];
  #bytes = 0;
  #full = false;

  /**
   * @param budget Most bytes of lines kept in all; a file that does not fit is read again.
   */
  constructor(readonly budget: number) {}

  /** Starts keeping the batches of file `f`, unless the budget is spent. */
  start(f: number): void {
    if (!this.#full) this.#byFile[f] = [];
  }

  /** Keeps one batch of file `f` (drops the file, and keeps no more, when over budget). */
  keep(f: number, batch: RecordedBatch): void {
    const kept = this.#byFile[f];
    if (kept === undefined) return;
    this.#bytes += batch.kind === "lines" ? batch.bytes.length : 0;
    if (this.#bytes > this.budget) {
      this.#full = true;
      this.#byFile[f] = undefined;
      return;
    }
    kept.push(batch);
  }

  /** The batches of file `f` when it was kept whole (handed out once), else undefined. */
  take(f: number): RecordedBatch[] | undefined {
    const kept = this.#byFile[f];
    this.#byFile[f] = undefined;
    return kept;
  }
}

/**
 * Surveys Binance recording files (one cheap pass over their bytes: symbols, update-id ranges, decimal
 * text, snapshot positions) and derives the instruments and the owner of every bare
 * snapshot from that evidence (see `attributeSnapshots` in core/market/binance_survey.ts).
 *
 * @param files Recording files, in replay order.
 * @param venue Venue tag.
 * @param symbol Normalized symbol the user named (`--symbol`), if any.
 * @param kept Where the files' batches are kept for the pass after the survey, if anywhere.
 * @returns The evidence.
 * @throws {SnapshotAttributionError} When a snapshot's owner is ambiguous (names what to pass).
 */
export async function surveyBinanceFiles(
  files: readonly string[],
  venue: "binance" | "binance_us",
  symbol?: string,
  kept?: KeptBatches,
): Promise<RecordingEvidence> {
  const survey = new BinanceSurvey();
  const text = new TextDecoder("utf-8", { ignoreBOM: true });
  for (let f = 0; f < files.length; f++) {
    kept?.start(f);
    for await (const batch of readRecordedBatches(files[f] as string)) {
      kept?.keep(f, batch);
      if (batch.kind === "lines") surveyLines(survey, batch.bytes, batch.firstLineNo - 1, f, text);
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
