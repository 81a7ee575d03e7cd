import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { BinanceSurvey } from "./binance_survey.ts";
import { surveyLines } from "./binance_survey_lines.ts";
import { splitRecordedLine } from "./recorded_line.ts";
import { edits, sample } from "./binance_frame_edits_testing.ts";

const text = () => new TextDecoder("utf-8", { ignoreBOM: true });

/** The text reading: split each non-empty line, `add` its frame (line numbers count every line). */
function byText(lines: readonly string[], file = 0): BinanceSurvey {
  const s = new BinanceSurvey();
  lines.forEach((line, i) => {
    const split = line === "" ? undefined : splitRecordedLine(line);
    if (split) s.add(split.frame, file, i + 1);
  });
  return s;
}

function byBytes(lines: readonly string[], file = 0): BinanceSurvey {
  const s = new BinanceSurvey();
  surveyLines(s, new TextEncoder().encode(lines.join("\n")), 0, file, text());
  return s;
}

function facts(s: BinanceSurvey): unknown {
  return { symbols: [...s.symbols], files: [...s.fileStreams], snapshots: s.snapshots };
}

Deno.test("surveyLines gathers what the text reading gathers from every line of the bundled recording", () => {
  for (const [f, name] of ["btcusdt_20240808.gz", "btcusdt_20240809.gz"].entries()) {
    const url = new URL(`../../testdata/binance-spot/${name}`, import.meta.url);
    const bytes = gunzipSync(Deno.readFileSync(url));
    const lines = new TextDecoder().decode(bytes).split("\n");
    const want = byText(lines, f);
    const got = new BinanceSurvey();
    // The file ends with a newline: the text's last "line" is the empty rest after it.
    assert.equal(surveyLines(got, bytes, 0, f, text()), lines.length - 1);
    assert.deepEqual(facts(got), facts(want));
    assert.ok((want.symbols.get("BTCUSDT")?.depthMsgs ?? 0) > 3_000, name);
  }
});

Deno.test("surveyLines agrees with the text reading on damaged and unusual frames", () => {
  const unusual = [
    (l: string) => l.replace('"61737.63000000"', '"0061737.6300"'),
    (l: string) => l.replace('"U":50093239189', '"U":"50093239189"'),
    (l: string) => l.replace('"U":50093239189', '"U":050093239189'),
    (l: string) => l.replace('"p":"61837.63000000"', '"p":"61837."'),
    (l: string) => l.replace('"q":"0.02000000"', '"q":"x"'),
    (l: string) => l.replace('"b":[[', '"b":[["1","2","3"],['),
    (l: string) => l.replace('"s":"BTCUSDT"', '"s":"BTCUSDT","s":"ETHUSDT"'),
  ];
  for (const line of sample) {
    for (const edit of [...edits, ...unusual]) {
      const lines = [edit(line), "", line];
      const bookTicker = /^\d+ \{"stream":"[^"\\]*@bookTicker","data":\{.*\}\}$/.test(lines[0]!);
      // A bookTicker envelope is skipped whole, as the decoder ignores it (the text reading
      // took one with "lastUpdateId" in its data for a snapshot no replay would see).
      const want = bookTicker ? byText(lines.slice(1)) : byText(lines);
      if (bookTicker) want.snapshots.forEach((s) => Object.assign(s, { lineNo: s.lineNo + 1 }));
      assert.deepEqual(facts(byBytes(lines)), facts(want), edit(line));
    }
  }
});

Deno.test("surveyLines numbers only non-empty lines when asked (the trainer's numbering)", () => {
  const snap = '1723161253937085768 {"lastUpdateId":7,"bids":[],"asks":[]}';
  const s = new BinanceSurvey();
  const last = surveyLines(s, new TextEncoder().encode(`\n${snap}\n\n`), 0, 0, text(), false);
  assert.equal(last, 1);
  assert.equal(s.snapshots[0]?.lineNo, 1);
});
