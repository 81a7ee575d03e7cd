import assert from "node:assert/strict";
import { BookSide, WINDOW } from "./book_side.ts";
import { BLOCK, SortedBlocks } from "./sorted_blocks.ts";
import { randomInt, seededRandom } from "../random.ts";

/** Checks every read of a BookSide against a plain Map, sorted on demand. */
type Side = BookSide | SortedBlocks;
const kinds = [["BookSide", () => new BookSide()], [
  "SortedBlocks",
  () => new SortedBlocks(),
]] as const;

function check(side: Side, model: Map<number, number>, label: string): void {
  const sorted = [...model].sort((a, b) => b[0] - a[0]);
  assert.equal(side.count, sorted.length, `${label}: count`);
  assert.equal(side.bestKey(), sorted[0]?.[0], `${label}: best`);
  const seen: [number, number][] = [];
  side.scan((k, s) => void seen.push([k, s]));
  assert.deepEqual(seen, sorted, `${label}: scan order`);
  const out: [number, number] = [0, 0];
  for (const i of [0, 1, 2, sorted.length >> 1, sorted.length - 2, sorted.length - 1]) {
    if (i < 0 || i >= sorted.length) continue;
    assert.ok(side.at(i, out), `${label}: at(${i})`);
    assert.deepEqual(out, sorted[i], `${label}: at(${i})`);
  }
  assert.equal(side.at(sorted.length, out), false);
  assert.equal(side.at(-1, out), false);
  if (sorted.length > 0) {
    const bound = sorted[Math.min(sorted.length - 1, 7)]![0] - 0.5;
    const want = sorted.filter(([k]) => k >= bound).reduce((a, [, s]) => a + s, 0);
    assert.equal(side.sumFrom(bound), want, `${label}: sumFrom`);
  }
}

Deno.test("BookSide and SortedBlocks match a sorted map under random inserts, updates and deletes", () => {
  const cases = [[1, 50, 3_000], [2, 2_000, 10_000], [3, 1e9, 2_000], [4, WINDOW * 3, 8_000]];
  for (const [kind, make] of kinds) {
    for (const [seed, range, ops] of cases) {
      const rand = seededRandom(seed as number);
      const side = make();
      const model = new Map<number, number>();
      for (let n = 0; n < (ops as number); n++) {
        const key = randomInt(rand, 1, range as number);
        // Deletes as often as inserts, so blocks split, empty and vanish.
        const size = rand() < 0.45 ? 0 : randomInt(rand, 1, 2 ** 40);
        side.set(key, size);
        if (size === 0) model.delete(key);
        else model.set(key, size);
        assert.equal(side.get(key), size);
        if (n % 197 === 0) check(side, model, `${kind} seed ${seed} op ${n}`);
      }
      check(side, model, `seed ${seed} end`);
      for (const k of [...model.keys()]) {
        side.set(k, 0);
        model.delete(k);
      }
      check(side, model, `seed ${seed} emptied`);
      side.set(42, 1);
      check(side, new Map([[42, 1]]), `${kind} seed ${seed} refilled`);
    }
  }
});

Deno.test("BookSide follows a best level that drifts far up and down, keeping every level", () => {
  const rand = seededRandom(7);
  const side = new BookSide();
  const model = new Map<number, number>();
  let centre = 10 * WINDOW;
  for (let n = 0; n < 30_000; n++) {
    // The market drifts by whole windows; levels are set near the centre and deep below it.
    centre += randomInt(rand, -40, 41) * (n % 1_000 < 500 ? 1 : -1);
    const key = centre - Math.floor(Math.abs(rand() - rand()) * 3 * WINDOW);
    const size = rand() < 0.4 ? 0 : randomInt(rand, 1, 1_000);
    side.set(key, size);
    if (size === 0) model.delete(key);
    else model.set(key, size);
    if (n % 499 === 0) check(side, model, `drift op ${n}`);
  }
  check(side, model, "drift end");
  // Emptying from the top makes the window sink to the deep levels.
  for (const k of [...model.keys()].sort((a, b) => b - a)) {
    side.set(k, 0);
    model.delete(k);
    if (model.size % 1_000 === 0) check(side, model, `drain ${model.size}`);
  }
});

Deno.test("BookSide and SortedBlocks keep ascending, descending and middle-out inserts in order", () => {
  const n = BLOCK * 20 + 3;
  for (const [, make] of kinds) {
    for (const order of ["up", "down", "middle-out"]) {
      const side = make();
      const model = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const k = order === "up" ? i : order === "down" ? n - i : (i % 2 ? n + i : n - i);
        side.set(k * 97, i + 1);
        model.set(k * 97, i + 1);
      }
      check(side, model, order);
      side.clear();
      check(side, new Map(), `${order} cleared`);
    }
  }
});

Deno.test("BookSide.apply in batches (both signs, invalid updates) matches a sorted map", () => {
  for (const sign of [1, -1] as const) {
    const rand = seededRandom(11 + sign);
    const side = new BookSide();
    const model = new Map<number, number>();
    let centre = 5 * WINDOW;
    for (let batch = 0; batch < 3_000; batch++) {
      centre += randomInt(rand, -300, 301);
      const updates: [number, number][] = [];
      for (let j = randomInt(rand, 0, 40); j > 0; j--) {
        // Mostly near the best (deletes of the best included), some far below or above it.
        const spread = rand() < 0.9 ? WINDOW >> 4 : WINDOW * 4;
        const key = centre - randomInt(rand, -spread >> 3, spread);
        updates.push([sign * key, rand() < 0.45 ? 0 : randomInt(rand, 1, 2 ** 45)]);
      }
      const bad = batch % 500 === 499 ? randomInt(rand, 0, updates.length + 1) : -1;
      if (bad >= 0 && bad < updates.length) updates[bad] = [sign * centre, 1.5];
      const got = side.apply(updates, sign);
      const applied = bad >= 0 && bad < updates.length ? bad : updates.length;
      assert.equal(got, applied < updates.length ? applied : -1);
      for (const [p, s] of updates.slice(0, applied)) {
        if (s === 0) model.delete(sign * p);
        else model.set(sign * p, s);
      }
      if (batch % 97 === 0) check(side, model, `sign ${sign} batch ${batch}`);
    }
    check(side, model, `sign ${sign} end`);
  }
});
