import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { BinanceLineDecoder } from "./binance_line_decoder.ts";
import { type BinanceFrameOptions, decodeBinanceFrame } from "./binance_frame.ts";
import { defaultBinanceLookup } from "./binance_symbols.ts";
import { defaultInstrument } from "./instruments.ts";
import { splitRecordedLine } from "./recorded_line.ts";

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

const sample = [
  '1723161253937085768 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":50093239189,"u":50093239202,"b":[["61737.63000000","0.00000000"],["61837.62000000","1.50000000"]],"a":[["61837.64000000","0.10000000"]]}}',
  '1723161254087896568 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}',
  '1723161254087891268 {"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}',
  '1723161254087896568 {"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"BTCUSDT","a":77,"p":"61837.63","q":"0.02","f":1,"l":2,"T":3,"m":false,"M":true}}',
];

/** Edits that break or reshape a frame; each result must equal the reference's. */
const edits: ((l: string) => string)[] = [
  (l) => l.replace('"U":50093239189', '"U":50093239999'), // U > u
  (l) => l.replace('"0.00000000"', '"-0.00000001"'),
  (l) => l.replace('"61737.63000000"', '"61737.631"'), // more precision than the instrument
  (l) => l.replace('"61737.63000000"', '"0"'),
  (l) => l.replace('"61737.63000000"', '""'),
  (l) => l.replace('"61737.63000000"', '"6.1.7"'),
  (l) => l.replace('"61737.63000000"', '"+61737.63"'),
  (l) => l.replace('"61737.63000000"', "61737.63"),
  (l) => l.replace('"p":"61837.63000000"', '"p":"0.00"'),
  (l) => l.replace('"q":"0.02000000"', '"q":"0"'),
  (l) => l.replace('"m":true', '"m":1'),
  (l) => l.replace('"m":true', '"m":false'),
  (l) => l.replace('"E":1723161255208', '"E":1723161255208.5'),
  (l) => l.replace('"E":1723161255208', '"E":01723161255208'),
  (l) => l.replace('"E":1723161255208', '"E":-1'),
  (l) => l.replace('"E":1723161255208', '"E":99999999999999999999'),
  (l) => l.replace('"t":3735683259', '"t":3735683259,"t":5'),
  (l) => l.replace('"s":"BTCUSDT"', '"s":"NOPEUSDT"'),
  (l) => l.replace('"s":"BTCUSDT"', '"s":"BTC\\u0055SDT"'),
  (l) => l.replace('"e":"trade"', '"e":"kline"'),
  (l) => l.replace('"e":"trade"', '"e":""'),
  (l) => l.replace(',"M":true', ',"extra":{"x":1}'),
  (l) => l.replace(',"M":true', ',"M":null'),
  (l) => l.replace('"b":[[', '"b":[ ['),
  (l) => l.replace('],"a":[', '],"a":"x","z":['),
  (l) => l.replace(/,"b":\[.*?\]\]/, ""),
  (l) => l.replace('"data":{', '"data":{"lastUpdateId":1,'),
  (l) => l.replace("@bookTicker", "@bookTicker\\u0021"),
  (l) => l.replace('{"stream"', '{"lastUpdateId":5,"stream"'),
  (l) => l.slice(0, -1),
  (l) => l.slice(0, -2),
  (l) => l + " ",
  (l) => l.replace(/^\d+/, "12x"),
  (l) => l.replace(/^\d+/, "5"),
  (l) => l.replace(/^\d+/, "1234567890123456789012345"),
  (l) => l.replace(" ", "  "),
];

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
