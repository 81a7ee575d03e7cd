import assert from "node:assert/strict";
import { abortableSleep, runNewsLoop } from "./news_loop.ts";

Deno.test("runNewsLoop() runs cycles on the interval, survives a failing cycle, and stops on abort", async () => {
  const stop = new AbortController();
  let t = 0;
  const waits: number[] = [];
  const seen: number[] = [];
  const errors: string[] = [];
  const cycles = await runNewsLoop({
    intervalMs: 900_000,
    signal: stop.signal,
    now: () => t,
    cycle: () => {
      t += 100_000; // each cycle takes 100 s
      if (seen.length + errors.length === 1) return Promise.reject(new Error("disk full"));
      return Promise.resolve(t);
    },
    onCycle: (s) => {
      seen.push(s);
      if (seen.length === 3) stop.abort();
    },
    onError: (e) => errors.push((e as Error).message),
    sleep: (ms) => {
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
  });
  assert.equal(cycles, 4);
  assert.deepEqual(errors, ["disk full"]);
  assert.deepEqual(
    waits,
    [800_000, 800_000, 800_000],
    "next cycle starts an interval after the last start",
  );
  assert.deepEqual(seen, [100_000, 1_900_000, 2_800_000]);
});

Deno.test("abortableSleep() ends early on abort", async () => {
  const stop = new AbortController();
  const p = abortableSleep(60_000, stop.signal);
  stop.abort();
  await p;
  await abortableSleep(60_000, stop.signal);
});
