import assert from "node:assert/strict";
import { amountToNumber, numOrNull, strOrNull } from "./row_values.ts";

Deno.test("amountToNumber() reads 10^-18 integer text, signed, and passes numbers through", () => {
  assert.equal(amountToNumber("1233802000000000000000"), 1233.802);
  assert.equal(amountToNumber("-1500000000000000000"), -1.5);
  assert.equal(amountToNumber("5"), 5e-18);
  assert.equal(amountToNumber("0"), 0);
  assert.equal(amountToNumber(12.5), 12.5);
  assert.ok(Number.isNaN(amountToNumber("abc")));
});

Deno.test("numOrNull() and strOrNull() keep SQL NULL as null", () => {
  assert.equal(numOrNull(null), null);
  assert.equal(numOrNull("2"), 2);
  assert.equal(strOrNull(undefined), null);
  assert.equal(strOrNull(3), "3");
});
