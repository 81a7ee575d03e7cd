import assert from "node:assert/strict";
import { backoffDelay, parseRetryAfter } from "./backoff.ts";

Deno.test("backoffDelay() doubles from the base up to the cap", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n, { baseMs: 10, maxMs: 50 })), [
    10,
    20,
    40,
    50,
  ]);
  assert.equal(backoffDelay(-3), 0);
  assert.equal(backoffDelay(1_000), 6 * 3_600_000);
});

Deno.test("parseRetryAfter() reads seconds and HTTP dates and ignores junk", () => {
  const now = Date.UTC(2024, 7, 9, 0, 0, 0);
  assert.equal(parseRetryAfter(" 30 ", now), 30_000);
  assert.equal(parseRetryAfter("Fri, 09 Aug 2024 00:02:00 GMT", now), 120_000);
  assert.equal(parseRetryAfter("Thu, 08 Aug 2024 00:00:00 GMT", now), 0, "a past date means now");
  assert.equal(parseRetryAfter("99999999", now), 7 * 86_400_000, "capped at a week");
  for (const junk of [null, undefined, "", "-5", "1.5", "later"]) {
    assert.equal(parseRetryAfter(junk, now), undefined, String(junk));
  }
});

Deno.test("backoffDelay() jitter takes off (or adds) up to its fraction", () => {
  const o = { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };
  assert.deepEqual([1, 2, 3, 7, 8, 41].map((a) => backoffDelay(a, { ...o, jitter: 0 })), [
    1000,
    2000,
    4000,
    60_000,
    60_000,
    60_000,
  ]);
  assert.equal(backoffDelay(3, { ...o, random: () => 1 }), 2000); // 4000 minus 50 %
  assert.equal(backoffDelay(3, { ...o, random: () => 0 }), 4000);
  assert.equal(
    backoffDelay(1, { baseMs: 500, maxMs: 30_000, jitter: -0.2, random: () => 0.999 }),
    600,
  );
});
