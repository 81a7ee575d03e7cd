/**
 * Feeds recorded lines, as bytes, to a {@linkcode BinanceSurvey}: the survey's first pass
 * over a recording without a string per line. `bookTicker` envelopes (most lines of a
 * Binance recording, and nothing the survey looks at) are skipped from their first bytes;
 * depth and trade envelopes in the compact shape are read from their bytes
 * ({@linkcode SurveyScanner}); every other line with a `<ns> ` prefix gives its frame text
 * to `BinanceSurvey.add`, as the text reader did (`splitRecordedLine` + `add`).
 *
 * @module
 */

import type { BinanceSurvey } from "./binance_survey.ts";
import { SurveyScanner } from "./binance_survey_scan.ts";
import {
  DATA_HEAD,
  envelopeNameEnd,
  isBookTicker,
  lineReceiveTime,
  spaceAt,
} from "./recorded_line_bytes.ts";

const NL = 10;

/**
 * Surveys the lines of one batch (whole lines, each ended by "\n" except perhaps the last).
 *
 * @param survey Where the evidence goes.
 * @param bytes The lines.
 * @param lineNo Number of the line before the first one in `bytes` (0 at the file's start).
 * @param file Index of the file in the replay's list.
 * @param text Decoder for frame text (reused across batches), `ignoreBOM: true`.
 * @param countEmpty Whether empty lines take a line number (the edge replay's numbering)
 *   or not (the trainer's reader, which numbers non-empty lines).
 * @returns The number of the last line in `bytes`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BinanceSurvey } from "./binance_survey.ts";
 * import { surveyLines } from "./binance_survey_lines.ts";
 * const s = new BinanceSurvey();
 * const lines = '1723161254087896568 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":9,"b":[["61602.01","1.5"]],"a":[]}}\n';
 * surveyLines(s, new TextEncoder().encode(lines), 0, 0, new TextDecoder());
 * assert.equal(s.symbols.get("BTCUSDT")?.priceDecimals, 2);
 * ```
 */
export function surveyLines(
  survey: BinanceSurvey,
  bytes: Uint8Array,
  lineNo: number,
  file: number,
  text: TextDecoder,
  countEmpty = true,
): number {
  const scanner = new SurveyScanner(text);
  for (let s = 0; s < bytes.length;) {
    let nl = bytes.indexOf(NL, s);
    if (nl < 0) nl = bytes.length;
    const start = s;
    s = nl + 1;
    if (nl === start) {
      if (countEmpty) lineNo++;
      continue;
    }
    lineNo++;
    if (lineReceiveTime(bytes, start, nl, text) === undefined) continue;
    const f = spaceAt(bytes, start, nl) + 1;
    const nameEnd = envelopeNameEnd(bytes, f, nl);
    if (nameEnd >= 0) {
      if (isBookTicker(bytes, f, nameEnd)) continue;
      if (scanner.scan(survey, bytes, nameEnd + DATA_HEAD.length, nl, file)) continue;
    }
    survey.add(text.decode(bytes.subarray(f, nl)), file, lineNo);
  }
  return lineNo;
}
