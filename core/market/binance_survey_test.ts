import assert from "node:assert/strict";
import { attributeSnapshots, BinanceSurvey, SnapshotAttributionError } from "./binance_survey.ts";
import { instrumentForData, surveyInstruments } from "./survey_instruments.ts";

const depth = (s: string, u0: number, u1: number, bid = "1.5") =>
  `{"stream":"${s.toLowerCase()}@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"${s}","U":${u0},"u":${u1},"b":[["${bid}","2.25"]],"a":[]}}`;
const snap = (id: number, price = "1.25") =>
  `{"lastUpdateId":${id},"bids":[["${price}","1000000.5"]],"asks":[]}`;

function survey(frames: string[]): BinanceSurvey {
  const s = new BinanceSurvey();
  frames.forEach((f, i) => s.add(f, 0, i + 1));
  return s;
}

Deno.test("attributeSnapshots() follows the update ids, then the span, then the single stream", () => {
  const two = survey([depth("AAAUSDT", 10, 12), depth("BBBUSDT", 500, 510), snap(505), snap(11)]);
  assert.deepEqual([...attributeSnapshots(two)], [["0:3", "BBBUSDT"], ["0:4", "AAAUSDT"]]);
  // 520 is past BBB's last u: no bridge, no span; two streams: ambiguous.
  const far = survey([depth("AAAUSDT", 10, 12), depth("BBBUSDT", 500, 510), snap(520)]);
  assert.throws(
    () => attributeSnapshots(far, undefined, () => "rec.gz"),
    (e) =>
      e instanceof SnapshotAttributionError &&
      /rec\.gz:3 \(lastUpdateId 520\).*pass --symbol AAA\/USDT/.test(e.message),
  );
  assert.equal(attributeSnapshots(far, "BBBUSDT").get("0:3"), "BBBUSDT");
  // One stream: a snapshot far from it is still its own (the sync will call it stale or a gap).
  assert.equal(attributeSnapshots(survey([depth("ETHUSDT", 5, 9), snap(1)])).get("0:2"), "ETHUSDT");
});

Deno.test("attributeSnapshots() refuses a --symbol the update ids contradict and a stream-less snapshot", () => {
  const s = survey([depth("ETHUSDT", 5, 9), snap(6)]);
  assert.throws(
    () => attributeSnapshots(s, "BTCUSDT"),
    /belongs to ETHUSDT .* not to --symbol BTCUSDT/,
  );
  const lone = survey([snap(6)]);
  assert.throws(() => attributeSnapshots(lone), /no depth stream; pass --symbol BASE\/QUOTE/);
  assert.equal(attributeSnapshots(lone, "XYZUSDT").get("0:1"), "XYZUSDT");
});

Deno.test("surveyInstruments() takes the data's precision; the table only widens, never gates", () => {
  const s = survey([
    depth("ETHUSDT", 5, 9, "2600.123456"),
    snap(6, "2600.1"),
    depth("NKNUSDT", 1, 2, "0.0259741"),
  ]);
  const insts = surveyInstruments("binance", s, attributeSnapshots(s, undefined));
  const eth = insts.get("ETHUSDT");
  assert.equal(eth?.symbol, "ETH/USDT");
  assert.equal(eth?.priceDecimals, 6); // the table says 2
  assert.equal(eth?.lotSize, 10_000); // the table's 0.0001 ETH step, same scale (8)
  const nkn = insts.get("NKNUSDT");
  assert.equal(nkn?.symbol, "NKN/USDT");
  assert.equal(nkn?.priceDecimals, 7);
  assert.equal(nkn?.sizeDecimals, 2); // "2.25" and "1000000.5" (the snapshot is ETH's)
  // A value that needs more than 15 digits keeps the digits that fit.
  const big = instrumentForData("binance", "SHIB/USDT", "SHIBUSDT", {
    priceDecimals: 8,
    sizeDecimals: 8,
    priceTextDecimals: 8,
    sizeTextDecimals: 8,
    priceIntDigits: 1,
    sizeIntDigits: 11,
  });
  assert.equal(big.sizeDecimals, 4);
  assert.equal(big.sizeTextDecimals, 8);
});

Deno.test("attributeSnapshots() picks the snapshot's own file's stream when streams of several files bridge it", () => {
  const s = new BinanceSurvey();
  // Two one-symbol files whose update ids coincide (generated data): each snapshot is its file's.
  s.add(depth("BTCUSDT", 999, 1000), 0, 1);
  s.add(snap(1000), 0, 2);
  s.add(depth("BTCUSDT", 1001, 1002), 0, 3);
  s.add(depth("ETHUSDT", 999, 1000), 1, 1);
  s.add(snap(1000), 1, 2);
  s.add(depth("ETHUSDT", 1001, 1002), 1, 3);
  assert.deepEqual([...attributeSnapshots(s)], [["0:2", "BTCUSDT"], ["1:2", "ETHUSDT"]]);
  // The same ids within one file stay ambiguous.
  const one = survey([depth("BTCUSDT", 1001, 1002), depth("ETHUSDT", 1001, 1002), snap(1000)]);
  assert.throws(() => attributeSnapshots(one), /bridges the streams of BTCUSDT, ETHUSDT/);
});
