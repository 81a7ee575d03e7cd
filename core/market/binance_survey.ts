/**
 * A first, cheap pass over a Binance recording that gathers the evidence the replay
 * needs before it parses a single price: which symbols the depth streams carry, the
 * update-id range of each stream, the precision their decimal text actually uses, and
 * where the bare REST snapshots (`{"lastUpdateId":…}`, no symbol) sit. From that,
 * {@linkcode attributeSnapshots} says which stream each snapshot belongs to and
 * `surveyInstruments` (binance_survey_instruments.ts) builds instruments for any symbol.
 *
 * Pure: the caller reads the lines.
 *
 * @module
 */

import { binanceSymbolCandidates } from "./binance_symbols.ts";
import { type DecimalFacts, emptyFacts, note, noteLevels } from "./decimal_facts.ts";

export { type DecimalFacts, mergeFacts } from "./decimal_facts.ts";

/** What the survey saw of one venue symbol's streams. */
export interface SurveyedSymbol extends DecimalFacts {
  /** The venue's symbol, e.g. "ETHUSDT". */
  readonly venueSymbol: string;
  /** Depth diffs seen. */
  depthMsgs: number;
  /** Trades seen. */
  trades: number;
  /** `[U, u]` of every diff, flattened, in file order. */
  readonly ranges: number[];
}

/** One bare REST snapshot of the recording. */
export interface SurveyedSnapshot extends DecimalFacts {
  /** Index of the file in the replay's file list. */
  readonly file: number;
  /** 1-based line number in that file. */
  readonly lineNo: number;
  /** The snapshot's `lastUpdateId`. */
  readonly lastUpdateId: number;
  /** The venue symbol an archived snapshot names (`s`); bare REST snapshots have none. */
  readonly venueSymbol?: string;
}

/** A snapshot cannot be attributed from the evidence: the message says what to pass. */
export class SnapshotAttributionError extends Error {
  /**
   * @param message What is ambiguous and what to pass.
   */
  constructor(message: string) {
    super(message);
    this.name = "SnapshotAttributionError";
  }
}

/**
 * Collects the evidence of a Binance recording, one frame at a time.
 *
 * @example Two streams and a snapshot that bridges one of them
 * ```ts
 * import assert from "node:assert/strict";
 * import { attributeSnapshots, BinanceSurvey } from "./binance_survey.ts";
 * const s = new BinanceSurvey();
 * s.add('{"data":{"e":"depthUpdate","s":"ETHUSDT","U":5,"u":9,"b":[["2600.123","1.5"]],"a":[]}}', 0, 1);
 * s.add('{"data":{"e":"depthUpdate","s":"BTCUSDT","U":70,"u":80,"b":[],"a":[]}}', 0, 2);
 * s.add('{"lastUpdateId":7,"bids":[],"asks":[]}', 0, 3);
 * assert.equal(attributeSnapshots(s).get("0:3"), "ETHUSDT");
 * assert.equal(s.symbols.get("ETHUSDT")?.priceDecimals, 3);
 * ```
 */
export class BinanceSurvey {
  /** Symbols seen in depth or trade frames, by venue symbol. */
  readonly symbols: Map<string, SurveyedSymbol> = new Map();
  /** Venue symbols with depth diffs in each file (by file index). */
  readonly fileStreams: Map<number, Set<string>> = new Map();
  /** Bare REST snapshots, in file order. */
  readonly snapshots: SurveyedSnapshot[] = [];

  /**
   * Notes one frame (the text after the receive time). Frames it cannot read are
   * left to the replay, which reports them.
   *
   * @param frame The JSON text of the frame.
   * @param file Index of the file in the replay's list.
   * @param lineNo 1-based line number.
   */
  add(frame: string, file: number, lineNo: number): void {
    if (frame.includes('"lastUpdateId"')) {
      const id = /"lastUpdateId":(\d+)/.exec(frame);
      if (!id) return;
      const named = /"s":"([^"]+)"/.exec(frame)?.[1];
      const snap: SurveyedSnapshot = {
        file,
        lineNo,
        lastUpdateId: Number(id[1]),
        ...(named !== undefined ? { venueSymbol: named } : {}),
        ...emptyFacts(),
      };
      noteLevels(snap, frame);
      this.snapshots.push(snap);
      return;
    }
    const depth = frame.includes('"depthUpdate"');
    const trade = !depth && (frame.includes('"e":"trade"') || frame.includes('"e":"aggTrade"'));
    if (!depth && !trade) return;
    const s = /"s":"([^"]+)"/.exec(frame)?.[1];
    if (s === undefined) return;
    const sym = this.symbol(s);
    if (depth) {
      const first = /"U":(\d+)/.exec(frame)?.[1];
      const last = /"u":(\d+)/.exec(frame)?.[1];
      if (first === undefined || last === undefined) return;
      this.noteDepth(sym, Number(first), Number(last), file);
      noteLevels(sym, frame);
    } else {
      sym.trades++;
      const p = /"p":"(\d+)(?:\.(\d*))?"/.exec(frame);
      const q = /"q":"(\d+)(?:\.(\d*))?"/.exec(frame);
      if (p) note(sym, p[1] as string, p[2], true);
      if (q) note(sym, q[1] as string, q[2], false);
    }
  }

  /**
   * Notes one depth diff `[first, last]` of a symbol in a file (its levels' decimal facts
   * are the caller's to merge).
   */
  noteDepth(sym: SurveyedSymbol, first: number, last: number, file: number): void {
    sym.depthMsgs++;
    sym.ranges.push(first, last);
    let local = this.fileStreams.get(file);
    if (!local) this.fileStreams.set(file, local = new Set());
    local.add(sym.venueSymbol);
  }

  /** The record of a venue symbol, created empty on first sight. */
  symbol(venueSymbol: string): SurveyedSymbol {
    let sym = this.symbols.get(venueSymbol);
    if (!sym) {
      sym = { venueSymbol, depthMsgs: 0, trades: 0, ranges: [], ...emptyFacts() };
      this.symbols.set(venueSymbol, sym);
    }
    return sym;
  }
}

/** Venue symbols whose diff stream bridges `lastUpdateId` (`U <= id + 1 <= u`). */
function bridging(streams: readonly SurveyedSymbol[], id: number): string[] {
  return streams.filter((s) => {
    for (let i = 0; i < s.ranges.length; i += 2) {
      if ((s.ranges[i] as number) <= id + 1 && id + 1 <= (s.ranges[i + 1] as number)) return true;
    }
    return false;
  }).map((s) => s.venueSymbol);
}

/** Venue symbols whose update-id span (first U - 1 .. last u) contains `lastUpdateId`. */
function spanning(streams: readonly SurveyedSymbol[], id: number): string[] {
  return streams.filter((s) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < s.ranges.length; i += 2) {
      lo = Math.min(lo, s.ranges[i] as number);
      hi = Math.max(hi, s.ranges[i + 1] as number);
    }
    return lo - 1 <= id && id <= hi;
  }).map((s) => s.venueSymbol);
}

/**
 * Says which stream each bare REST snapshot belongs to, from evidence only: the diff
 * stream whose update ids bridge it (`U <= lastUpdateId + 1 <= u`; among several, the one
 * in the snapshot's own file), else the one stream
 * whose id span contains it, else the recording's single depth stream, else the
 * explicit symbol. Never a default.
 *
 * @param survey The survey of the whole recording.
 * @param explicit Venue symbol the user named (`--symbol`), if any.
 * @param fileName Names a file index in messages.
 * @returns Venue symbol per snapshot, keyed `"<file>:<lineNo>"`.
 * @throws {SnapshotAttributionError} When the evidence is ambiguous or contradicts `explicit`.
 */
export function attributeSnapshots(
  survey: BinanceSurvey,
  explicit?: string,
  fileName: (file: number) => string = String,
): Map<string, string> {
  const streams = [...survey.symbols.values()].filter((s) => s.depthMsgs > 0);
  const names = streams.map((s) => s.venueSymbol).join(", ");
  const example = binanceSymbolCandidates(streams[0]?.venueSymbol ?? "")[0] ?? "BASE/QUOTE";
  const what = `--symbol ${example}` + (streams.length > 1 ? " (or another of its streams)" : "");
  const out = new Map<string, string>();
  for (const snap of survey.snapshots) {
    const where = `the REST snapshot at ${
      fileName(snap.file)
    }:${snap.lineNo} (lastUpdateId ${snap.lastUpdateId})`;
    if (snap.venueSymbol !== undefined) {
      // An archived snapshot names its book: that is the evidence.
      out.set(`${snap.file}:${snap.lineNo}`, snap.venueSymbol);
      continue;
    }
    const bridge = bridging(streams, snap.lastUpdateId);
    // Streams of the snapshot's own file come first (one file per stream is common).
    const local = survey.fileStreams.get(snap.file);
    const bridgeLocal = local ? bridge.filter((s) => local.has(s)) : [];
    let chosen: string | undefined;
    if (bridge.length === 1) chosen = bridge[0];
    else if (bridgeLocal.length === 1 && !(explicit && bridge.includes(explicit))) {
      chosen = bridgeLocal[0];
    } else if (bridge.length > 1) {
      if (explicit && bridge.includes(explicit)) chosen = explicit;
      else {
        throw new SnapshotAttributionError(
          `Cannot tell which symbol ${where} belongs to: it bridges the streams of ${
            bridge.join(", ")
          }; pass --symbol BASE/QUOTE naming one of them`,
        );
      }
    } else {
      const span = spanning(streams, snap.lastUpdateId);
      const spanLocal = local ? span.filter((s) => local.has(s)) : [];
      if (span.length === 1) chosen = span[0];
      else if (spanLocal.length === 1) chosen = spanLocal[0];
      else if (streams.length === 1) chosen = streams[0]?.venueSymbol;
      else if (explicit) chosen = explicit;
      else {
        throw new SnapshotAttributionError(
          `Cannot tell which symbol ${where} belongs to: ` +
            (streams.length === 0
              ? "the recording has no depth stream; pass --symbol BASE/QUOTE"
              : `its update ids bridge no diff stream of ${names}; pass ${what}`),
        );
      }
    }
    if (explicit && chosen !== explicit && bridge.length + streams.length > 0) {
      throw new SnapshotAttributionError(
        `${where[0]?.toUpperCase()}${where.slice(1)} belongs to ${chosen} by its update ids ` +
          `(streams: ${names}), not to --symbol ${explicit}; drop --symbol or name ${chosen}`,
      );
    }
    out.set(`${snap.file}:${snap.lineNo}`, chosen as string);
  }
  return out;
}
