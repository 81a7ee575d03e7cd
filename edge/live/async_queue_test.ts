import assert from "node:assert/strict";
import { AsyncQueue } from "./async_queue.ts";

Deno.test("AsyncQueue delivers pushed items in order and ends after close", async () => {
  const q = new AsyncQueue<number>();
  const got: number[] = [];
  const consumer = (async () => {
    for await (const v of q) got.push(v);
  })();
  q.push(1);
  q.push(2);
  await new Promise((r) => setTimeout(r, 5));
  q.push(3);
  q.close();
  q.push(4); // ignored after close
  await consumer;
  assert.deepEqual(got, [1, 2, 3]);
  assert.equal(q.size, 0);
});
