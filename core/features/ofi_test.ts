import assert from "node:assert/strict";
import { ofiContribution } from "./ofi.ts";

const base = { bidPrice: 100, bidSize: 5, askPrice: 101, askSize: 4 };

Deno.test("ofiContribution() signs: bid-side events", () => {
  assert.equal(ofiContribution(base, { ...base, bidSize: 7 }), 2, "bid size up: buying pressure");
  assert.equal(
    ofiContribution(base, { ...base, bidSize: 1 }),
    -4,
    "bid size down (cancel/sell hit)",
  );
  assert.equal(
    ofiContribution(base, { ...base, bidPrice: 100.5, bidSize: 3 }),
    3,
    "bid price up: +new size",
  );
  assert.equal(
    ofiContribution(base, { ...base, bidPrice: 99, bidSize: 9 }),
    -5,
    "bid price down: -old size",
  );
});

Deno.test("ofiContribution() signs: ask-side events", () => {
  assert.equal(ofiContribution(base, { ...base, askSize: 6 }), -2, "ask size up: selling pressure");
  assert.equal(ofiContribution(base, { ...base, askSize: 1 }), 3, "ask size down (buy lifted)");
  assert.equal(
    ofiContribution(base, { ...base, askPrice: 100.5, askSize: 2 }),
    -2,
    "ask price down: -new size",
  );
  assert.equal(
    ofiContribution(base, { ...base, askPrice: 102, askSize: 8 }),
    4,
    "ask price up: +old size",
  );
});

Deno.test("ofiContribution() is 0 for an unchanged top and adds both sides", () => {
  assert.equal(ofiContribution(base, base), 0);
  assert.equal(ofiContribution(base, { ...base, bidSize: 6, askSize: 3 }), 1 + 1);
});
