import assert from "node:assert/strict";
import { newHealth, recordFailure, recordSuccess } from "./source_health.ts";

const T = Date.UTC(2024, 7, 9);

Deno.test("recordFailure() waits the longest of backoff, Retry-After and the minimum interval", () => {
  let h = newHealth("newsapi", "newsapi", "https://newsapi.example/v2/everything");
  const fail = (retryAfterMs?: number, minIntervalMs = 0) => ({
    at: T,
    latencyMs: 5,
    error: "boom",
    retryAfterMs,
    rateLimited: retryAfterMs !== undefined,
    minIntervalMs,
  });
  h = recordFailure(h, fail());
  assert.deepEqual([h.consecutiveFailures, h.nextAllowedAt - T, h.lastStatus], [
    1,
    60_000,
    "error",
  ]);
  h = recordFailure(h, fail(30_000));
  assert.deepEqual([h.consecutiveFailures, h.nextAllowedAt - T, h.lastStatus], [
    2,
    120_000,
    "rate_limited",
  ]);
  h = recordFailure(h, fail(undefined, 900_000));
  assert.equal(h.nextAllowedAt - T, 900_000);
  assert.deepEqual([h.attempts, h.failures], [3, 3]);
});

Deno.test("recordSuccess() resets failures, keeps validators unless replaced, and sums totals", () => {
  let h = recordFailure(newHealth("rss:x", "rss", "x"), {
    at: T,
    latencyMs: 1,
    error: "e",
    rateLimited: false,
    minIntervalMs: 0,
  });
  const ok = {
    at: T + 1,
    latencyMs: 2,
    notModified: false,
    items: 10,
    inserted: 4,
    warnings: [],
    minIntervalMs: 0,
  };
  h = recordSuccess(h, { ...ok, etag: '"a"', cursorAt: T });
  assert.deepEqual(
    [
      h.consecutiveFailures,
      h.etag,
      h.cursorAt,
      h.itemsTotal,
      h.newTotal,
      h.nextAllowedAt,
      h.lastError,
    ],
    [0, '"a"', T, 10, 4, T + 1, "e"],
  );
  h = recordSuccess(h, { ...ok, notModified: true, items: 0, inserted: 0, cursorAt: T - 5 });
  assert.deepEqual([h.etag, h.cursorAt, h.lastStatus, h.itemsTotal], [
    '"a"',
    T,
    "not_modified",
    10,
  ]);
});
