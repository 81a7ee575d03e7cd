import assert from "node:assert/strict";
import { StoreBacklogError, StoreUnavailableError } from "./store_errors.ts";
import { WriteQueue } from "./write_queue.ts";

class Down extends Error {
  override name = "Down";
}

/** A fake database: records payloads, can be down, refuses payloads < 0. */
function fakeDb() {
  const db = {
    up: true,
    written: [] as number[],
    write: (p: number): Promise<void> => {
      if (!db.up) return Promise.reject(new Down("connection refused"));
      if (p < 0) return Promise.reject(new RangeError(`bad row ${p}`));
      db.written.push(p);
      return Promise.resolve();
    },
  };
  return db;
}

const fast = { isTransient: (e: unknown) => e instanceof Down, minBackoffMs: 1, maxBackoffMs: 5 };

Deno.test("WriteQueue resolves on commit and rejects a refused batch without keeping it", async () => {
  const db = fakeDb();
  const q = new WriteQueue(db.write, { maxRows: 10, ...fast });
  await q.enqueue(1, 1);
  assert.deepEqual(db.written, [1]);
  await assert.rejects(() => q.enqueue(-1, 1), RangeError);
  assert.equal(q.bufferedRows, 0);
  await q.enqueue(2, 1);
  assert.deepEqual(db.written, [1, 2]);
  assert.equal(q.stats.committed_batches, 2);
  await q.close(1_000);
});

Deno.test("WriteQueue holds batches through an outage and writes each once, in order, when back", async () => {
  const db = fakeDb();
  const logs: string[] = [];
  const q = new WriteQueue(db.write, { maxRows: 100, onLog: (l) => logs.push(l), ...fast });
  db.up = false;
  for (let i = 1; i <= 5; i++) await q.enqueue(i, 10); // resolves: held in memory
  assert.equal(q.healthy, false);
  assert.equal(q.bufferedRows, 50);
  assert.equal(await q.drain(30), false);
  db.up = true;
  assert.equal(await q.drain(5_000), true);
  assert.deepEqual(db.written, [1, 2, 3, 4, 5]);
  assert.equal(q.healthy, true);
  assert.equal(q.stats.outages, 1);
  assert.ok(q.stats.failed_attempts >= 1);
  assert.ok(logs.some((l) => l.includes("unreachable")) && logs.some((l) => l.includes("again")));
  await q.close(1_000);
});

Deno.test("WriteQueue refuses batches when full and no spill directory is set", async () => {
  const db = fakeDb();
  const q = new WriteQueue(db.write, { maxRows: 20, ...fast });
  db.up = false;
  await q.enqueue(1, 15);
  await assert.rejects(() => q.enqueue(2, 10), StoreBacklogError);
  await assert.rejects(() => q.close(20), StoreUnavailableError);
  assert.deepEqual(db.written, []);
});

Deno.test("WriteQueue spills beyond the limit, drains spill files (also a previous process's), removes them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-spill-" });
  try {
    const db = fakeDb();
    const q = new WriteQueue(db.write, { maxRows: 20, spillDir: dir, ...fast });
    db.up = false;
    for (let i = 1; i <= 6; i++) await q.enqueue(i, 10);
    assert.equal(q.bufferedRows, 20);
    assert.equal(q.stats.spilled_batches, 4);
    // Closing while still down spills the memory buffer too; nothing is lost.
    await q.close(20);
    assert.equal([...Deno.readDirSync(dir)].length, 1);
    db.up = true;
    const next = new WriteQueue(db.write, { maxRows: 20, spillDir: dir, ...fast });
    await next.resume();
    assert.equal(await next.drain(5_000), true);
    assert.deepEqual(db.written.toSorted((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
    await next.close(1_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("WriteQueue keeps a held batch the database later refuses in a rejected file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-spill-" });
  try {
    const db = fakeDb();
    const logs: string[] = [];
    const q = new WriteQueue(db.write, {
      maxRows: 100,
      spillDir: dir,
      onLog: (l) => logs.push(l),
      ...fast,
    });
    db.up = false;
    await q.enqueue(-7, 3); // held: its caller is gone when it is refused
    db.up = true;
    assert.equal(await q.drain(5_000), true);
    assert.equal(q.stats.dead_letter_batches, 1);
    const [file] = [...Deno.readDirSync(dir)];
    assert.equal(file?.name, "spill-rejected.jsonl");
    const kept = JSON.parse(await Deno.readTextFile(`${dir}/${file!.name}`));
    assert.deepEqual([kept.payload, kept.rows], [-7, 3]);
    assert.match(kept.error, /bad row -7/);
    await q.close(1_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
