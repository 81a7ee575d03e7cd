import assert from "node:assert/strict";
import { symbolTagger } from "./symbol_tags.ts";

const tagger = symbolTagger({
  BTC: ["bitcoin", "btc"],
  ETH: ["ethereum", "eth", "ether"],
  SOL: [],
});

Deno.test("symbolTagger() matches whole words case-insensitively in title and summary", () => {
  assert.deepEqual(tagger.tag("BITCOIN slides", "while Ether holds"), ["BTC", "ETH"]);
  assert.deepEqual(tagger.tag("$BTC/$ETH ratio"), ["BTC", "ETH"]);
  assert.deepEqual(tagger.tag("Ethereum's fees"), ["ETH"]);
});

Deno.test("symbolTagger() does not match inside words or markup", () => {
  assert.deepEqual(tagger.tag("Tether and the method of etherealness"), []);
  assert.deepEqual(tagger.tag(`<a href="https://bitcoin.org">link</a> rates`), []);
  assert.deepEqual(tagger.tag(undefined, ""), []);
});
