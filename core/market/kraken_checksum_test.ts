import assert from "node:assert/strict";
import { crc32Ascii } from "./crc32.ts";
import { parseScaled } from "./fixed_point.ts";
import type { Lots, Ticks } from "./fixed_point.ts";
import { makeInstrument } from "./instrument.ts";
import { krakenChecksum, krakenChecksumField, krakenChecksumString } from "./kraken_checksum.ts";
import { OrderBook } from "./order_book.ts";

function bookOf(
  priceDecimals: number,
  sizeDecimals: number,
  asks: [string, string][],
  bids: [string, string][],
): OrderBook {
  const inst = makeInstrument({ venue: "kraken", symbol: "BTC/USD", priceDecimals, sizeDecimals });
  const book = new OrderBook(inst);
  for (const [p, q] of asks) {
    book.set("ask", parseScaled(p, priceDecimals) as Ticks, parseScaled(q, sizeDecimals) as Lots);
  }
  for (const [p, q] of bids) {
    book.set("bid", parseScaled(p, priceDecimals) as Ticks, parseScaled(q, sizeDecimals) as Lots);
  }
  return book;
}

Deno.test("crc32Ascii() matches zlib check values", () => {
  assert.equal(crc32Ascii(""), 0);
  assert.equal(crc32Ascii("123456789"), 0xCBF43926);
  assert.equal(crc32Ascii("The quick brown fox jumps over the lazy dog"), 0x414FA339);
});

Deno.test("krakenChecksumField() strips the dot and leading zeros only", () => {
  assert.equal(krakenChecksumField(100000, 8, 8), "100000");
  assert.equal(krakenChecksumField(452810, 1, 1), "452810");
  assert.equal(krakenChecksumField(35480, 2, 8), "35480000000");
});

Deno.test("krakenChecksum() reproduces the Kraken v2 docs example (3310070434)", () => {
  const asks: [string, string][] = [
    ["45285.2", "0.00100000"],
    ["45286.4", "1.54571953"],
    ["45286.6", "1.54571109"],
    ["45289.6", "1.54560911"],
    ["45290.2", "0.15890660"],
    ["45291.8", "1.54553491"],
    ["45294.7", "0.04454749"],
    ["45296.1", "0.35380000"],
    ["45297.5", "0.09945542"],
    ["45299.5", "0.18772827"],
  ];
  const bids: [string, string][] = [
    ["45283.5", "0.10000000"],
    ["45283.4", "1.54582015"],
    ["45282.1", "0.10000000"],
    ["45281.0", "0.10000000"],
    ["45280.3", "1.54592586"],
    ["45279.0", "0.07990000"],
    ["45277.6", "0.03310103"],
    ["45277.5", "0.30000000"],
    ["45277.3", "1.54602737"],
    ["45276.6", "0.15445238"],
  ];
  const book = bookOf(1, 8, asks, bids);
  assert.ok(krakenChecksumString(book).startsWith("452852100000452864154571953"));
  assert.equal(krakenChecksum(book), 3310070434);
});

Deno.test("krakenChecksum() covers only the top 10 levels (4162058887)", () => {
  const asks: [string, string][] = [
    ["105906.8", "0.05665135"],
    ["105910.0", "0.70000000"],
    ["105910.6", "0.06080300"],
    ["105911.3", "0.28682600"],
    ["105915.8", "0.00061514"],
    ["105916.6", "0.09439743"],
    ["105918.9", "0.54378900"],
    ["105921.1", "0.09439338"],
    ["105925.8", "0.04300000"],
    ["105926.0", "0.09438908"],
    ["105930.0", "1.00000000"],
  ];
  const bids: [string, string][] = [
    ["105906.7", "0.09440620"],
    ["105901.7", "0.02297789"],
    ["105901.6", "0.09441075"],
    ["105901.4", "0.02400000"],
    ["105897.8", "0.01980353"],
    ["105897.6", "0.01877140"],
    ["105894.1", "0.00590000"],
    ["105894.0", "0.06080500"],
    ["105892.9", "0.05700000"],
    ["105889.1", "0.00630000"],
    ["105800.0", "2.00000000"],
  ];
  assert.equal(krakenChecksum(bookOf(1, 8, asks, bids)), 4162058887);
});

Deno.test("krakenChecksum() reproduces the Kraken v1 docs example (974947235)", () => {
  const asks: [string, string][] = [];
  for (let i = 1; i <= 10; i++) asks.push([(0.05 + i * 0.00005).toFixed(5), "0.00000500"]);
  const bidPrices = [
    "0.05000",
    "0.04995",
    "0.04990",
    "0.04980",
    "0.04975",
    "0.04970",
    "0.04965",
    "0.04960",
    "0.04955",
    "0.04950",
  ];
  const bids = bidPrices.map((p): [string, string] => [p, "0.00000500"]);
  assert.equal(krakenChecksum(bookOf(5, 8, asks, bids)), 974947235);
});
