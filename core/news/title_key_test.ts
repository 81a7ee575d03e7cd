import assert from "node:assert/strict";
import { normalizeTitle } from "./title_key.ts";

Deno.test("normalizeTitle() ignores case, HTML, quotes, punctuation and the publisher suffix", () => {
  const a = normalizeTitle("Bitcoin’s Rally Stalls at $62.5K – CoinDesk", "CoinDesk");
  const b = normalizeTitle("<em>Bitcoin's</em> rally stalls at $62.5K!", "Another Site");
  assert.equal(a, "bitcoins rally stalls at $62.5k");
  assert.equal(a, b);
});

Deno.test("normalizeTitle() keeps a suffix that is not the publisher", () => {
  assert.equal(normalizeTitle("Markets - Week Ahead", "CoinDesk"), "markets week ahead");
  assert.notEqual(normalizeTitle("ETH up 5%", undefined), normalizeTitle("ETH up 6%", undefined));
});
