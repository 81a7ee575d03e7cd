import assert from "node:assert/strict";
import { type ComparedFill, compareFills } from "./reconcile.ts";

const f = (time: number, side = "buy", price = 100): ComparedFill => ({
  time,
  side,
  price,
  size: 1,
  liquidity: "taker",
});

Deno.test("compareFills pairs fills and names the cause of each difference", () => {
  const live = [f(10_000), f(100_000, "sell", 101), f(500_000), f(900_000)];
  const replay = [f(10_500), f(101_000, "sell", 102), f(300_000), f(900_000)];
  const diffs = compareFills(live, replay, [480_000], [290_000]);
  assert.deepEqual(diffs.map((d) => [d.kind, d.cause]), [
    ["same", undefined],
    ["differs", "timing"], // same decision, another price: timing of the live loop
    ["replay_only", "resync"], // the replay traded right after a resync the live book took later
    ["live_only", "restart"], // the live engine was restarted just before
    ["same", undefined],
  ]);
});
