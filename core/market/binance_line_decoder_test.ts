import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { BinanceLineDecoder } from "./binance_line_decoder.ts";
import { type BinanceFrameOptions, decodeBinanceFrame } from "./binance_frame.ts";
import { defaultBinanceLookup } from "./binance_symbols.ts";
import { defaultInstrument } from "./instruments.ts";
import { splitRecordedLine } from "./recorded_line.ts";
import { edits, sample } from "./binance_frame_edits_testing.ts";

const inst = defaultInstrument("binance", "BTC/USDT")!;
const base = { venue: "binance" as const, lookup: defaultBinanceLookup("binance") };

/** The reference path: split the line, JSON.parse, decodeBinanceFrame. */
function reference(text: string, aggTrades = true): unknown {
  const line = splitRecordedLine(text);
  if (line === undefined) return undefined;
  const options: BinanceFrameOptions = {
    ...base,
    receiveTime: line.receiveTime,
    snapshotInstrument: inst,
    aggTrades,
  };
  try {
    return decodeBinanceFrame(JSON.parse(line.frame), options);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function fast(d: BinanceLineDecoder, text: string): unknown {
  try {
    return d.decode(text);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

Deno.test("BinanceLineDecoder gives the reference events for every line of the bundled recording", () => {
  const d = new BinanceLineDecoder({ ...base, snapshotInstrument: inst });
  const counts: Record<string, number> = {};
  for (const name of ["btcusdt_20240808.gz", "btcusdt_20240809.gz"]) {
    const url = new URL(`../../testdata/binance-spot/${name}`, import.meta.url);
    const bytes = gunzipSync(Deno.readFileSync(url));
    const text = new TextDecoder().decode(bytes);
    // Lines are decoded in place inside the file's buffer, as the readers do.
    let start = 0;
    let textStart = 0;
    while (start < bytes.length) {
      const nl = bytes.indexOf(10, start);
      const end = nl < 0 ? bytes.length : nl;
      const textEnd = text.indexOf("\n", textStart);
      const line = text.slice(textStart, textEnd < 0 ? text.length : textEnd);
      if (end > start) {
        const got = d.decodeBytes(bytes, start, end);
        assert.deepEqual(got, reference(line), line.slice(0, 120));
        const k = got?.kind ?? "none";
        counts[k] = (counts[k] ?? 0) + 1;
      }
      start = end + 1;
      textStart = (textEnd < 0 ? text.length : textEnd) + 1;
    }
  }
  assert.deepEqual(counts, { delta: 6_495, ignored: 73_174, snapshot: 1, trade: 19_904 });
});

Deno.test("BinanceLineDecoder agrees with the reference path on damaged and unusual frames", () => {
  for (const aggTrades of [true, false]) {
    const d = new BinanceLineDecoder({ ...base, snapshotInstrument: inst, aggTrades });
    for (const line of sample) {
      for (const edit of edits) {
        const text = edit(line);
        assert.deepEqual(fast(d, text), reference(text, aggTrades), text);
      }
    }
  }
});

Deno.test("BinanceLineDecoder never reads past the end of a line into the next one", () => {
  const d = new BinanceLineDecoder({ ...base, snapshotInstrument: inst });
  const enc = new TextEncoder();
  for (const line of sample) {
    for (let cut = line.indexOf("{"); cut < line.length; cut += 7) {
      const head = line.slice(0, cut);
      // The cut line is followed by the whole line in the same buffer.
      const bytes = enc.encode(`${head}\n${line}`);
      let got: unknown;
      try {
        got = d.decodeBytes(bytes, 0, enc.encode(head).length);
      } catch (e) {
        got = { error: (e as Error).message };
      }
      assert.deepEqual(got, reference(head), head);
    }
  }
});

Deno.test("BinanceLineDecoder ignores bookTicker frames without parsing them, by stream name", () => {
  const d = new BinanceLineDecoder(base);
  const line = `1 {"stream":"ethusdt@bookTicker","data":{not json at all}}`;
  assert.deepEqual(d.decode(line), { kind: "ignored", stream: "ethusdt@bookTicker" });
  // An envelope that does not close is left to the reference path, which rejects it.
  assert.throws(() => d.decode(line.slice(0, -1)), SyntaxError);
});

Deno.test("BinanceLineDecoder keeps an archived checksum (X) and trade id (I) like the reference path", () => {
  const d = new BinanceLineDecoder({ ...base, snapshotInstrument: inst });
  const delta =
    '1723075200000 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":[["61737.63","1.5"]],"a":[],"X":1065206076}}';
  const got = fast(d, delta) as { checksum?: number };
  assert.equal(got.checksum, 1065206076);
  assert.deepEqual(got, reference(delta));
});
