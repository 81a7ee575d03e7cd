import assert from "node:assert/strict";
import { TimeWindow } from "./time_window.ts";

Deno.test("TimeWindow sums (t - w, t] and drops samples past the horizon", () => {
  const w = new TimeWindow(10_000);
  for (let t = 0; t < 200; t++) w.push(t * 100, 1, t, 0);
  assert.equal(w.length, 100, "samples at or before t - horizon are dropped");
  const s = w.sums(19_900, 1_000);
  assert.equal(s.count, 10);
  assert.equal(s.b, 190 + 191 + 192 + 193 + 194 + 195 + 196 + 197 + 198 + 199);
  assert.equal(w.sums(19_900, 10_000).count, 100);
  assert.equal(w.sums(19_850, 1_000).count, 10, "samples after t are ignored");
  w.clear();
  assert.equal(w.sums(19_900, 1_000).count, 0);
});
