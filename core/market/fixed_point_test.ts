import assert from "node:assert/strict";
import { formatScaled, parseScaled, scaledToNumber } from "./fixed_point.ts";
import { randomInt, seededRandom } from "../random.ts";

Deno.test("parseScaled() reads venue decimals exactly", () => {
  assert.equal(parseScaled("61602.01000000", 2), 6160201);
  assert.equal(parseScaled("1.67177000", 8), 167177000);
  assert.equal(parseScaled("0.00000001", 8), 1);
  assert.equal(parseScaled("3", 4), 30000);
  assert.equal(parseScaled("-0.5", 1), -5);
  assert.equal(parseScaled(".25", 2), 25);
  assert.equal(parseScaled("7.", 0), 7);
});

Deno.test("parseScaled() rejects bad text with the reason", () => {
  assert.throws(() => parseScaled("", 2), SyntaxError);
  assert.throws(() => parseScaled("1.2.3", 2), /two dots/);
  assert.throws(() => parseScaled("12a", 2), /unexpected character/);
  assert.throws(() => parseScaled("1e5", 2), SyntaxError);
  assert.throws(() => parseScaled("-", 2), /no digits/);
  assert.throws(() => parseScaled("0.001", 2), RangeError);
  assert.throws(() => parseScaled("99999999999999999", 2), /overflows/);
});

Deno.test("formatScaled() pads to the venue's text decimals", () => {
  assert.equal(formatScaled(6160201, 2, 8), "61602.01000000");
  assert.equal(formatScaled(5, 3), "0.005");
  assert.equal(formatScaled(-5, 3), "-0.005");
  assert.equal(formatScaled(12, 0), "12");
  assert.equal(formatScaled(12, 0, 2), "12.00");
  assert.throws(() => formatScaled(1.5, 2), RangeError);
  assert.throws(() => formatScaled(1, 3, 2), RangeError);
});

Deno.test("formatScaled() and parseScaled() round-trip at every precision", () => {
  const rand = seededRandom(42);
  for (let decimals = 0; decimals <= 12; decimals++) {
    for (let i = 0; i < 500; i++) {
      const max = Math.min(Number.MAX_SAFE_INTEGER, 10 ** (decimals + 3));
      const value = randomInt(rand, -max, max);
      for (const extra of [0, 2]) {
        const text = formatScaled(value, decimals, decimals + extra);
        assert.equal(parseScaled(text, decimals), value, `${text} at ${decimals}`);
      }
      assert.equal(
        Math.abs(scaledToNumber(value, decimals) - value / 10 ** decimals) <=
          1e-9 * Math.abs(value),
        true,
      );
    }
  }
});
