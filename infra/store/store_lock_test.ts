import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import { lockPathOf, readHolder, StoreLockedError } from "./store_lock.ts";
import { SqliteStore } from "./sqlite_store.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Starts a process that opens `path` as a writer, prints "open", and waits for stdin to close. */
function holder(path: string): { child: Deno.ChildProcess; ready: Promise<void> } {
  const code = `import { SqliteStore } from "${root}infra/store/sqlite_store.ts";
const s = await SqliteStore.open(${JSON.stringify(path)});
console.log("open");
for await (const _ of Deno.stdin.readable) { /* wait for EOF */ }
await s.close();`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const ready = (async () => {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("open")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`holder exited before opening: ${text}`);
      text += value;
    }
    reader.releaseLock();
  })();
  return { child, ready };
}

Deno.test("a second writer is refused at once with the holder's pid; a reader is not", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-lock-" });
  const path = `${dir}/store.db`;
  const h = holder(path);
  await h.ready;
  try {
    await assert.rejects(SqliteStore.open(path), (e: unknown) => {
      assert.ok(e instanceof StoreLockedError, String(e));
      assert.equal(e.holderPid, h.child.pid);
      assert.match(e.message, new RegExp(`pid ${h.child.pid}`));
      return true;
    });
    const reader = await SqliteStore.open(path, { migrate: false });
    assert.ok((await reader.tableCounts()).book_deltas === 0);
    await reader.close();
  } finally {
    await h.child.stdin.close();
    await h.child.status;
  }
  // Released on a clean close: the next writer opens.
  const s = await SqliteStore.open(path);
  await s.close();
});

Deno.test("a lock left by a SIGKILLed holder is taken over", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-lock-" });
  const path = `${dir}/store.db`;
  const h = holder(path);
  await h.ready;
  assert.equal(readHolder(lockPathOf(path))?.pid, h.child.pid);
  h.child.kill("SIGKILL");
  await h.child.status;
  await h.child.stdin.close().catch(() => {});
  // The stale file still names the dead pid; the kernel released its flock.
  assert.equal(readHolder(lockPathOf(path))?.pid, h.child.pid);
  const s = await SqliteStore.open(path);
  assert.equal(readHolder(lockPathOf(path))?.pid, Deno.pid);
  await s.close();
});

Deno.test("one process may open its own store twice; the lock goes with the last handle", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-lock-" });
  const path = `${dir}/store.db`;
  const a = await SqliteStore.open(path);
  const b = await SqliteStore.open(`${dir}/./store.db`);
  await a.close();
  assert.equal(readHolder(lockPathOf(path))?.pid, Deno.pid);
  await b.close();
  assert.equal(readHolder(lockPathOf(path)), undefined);
});

Deno.test("row numbers are taken inside each write transaction: two handles never collide", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-lock-" });
  const path = `${dir}/store.db`;
  const a = await SqliteStore.open(path, { lock: false });
  const b = await SqliteStore.open(path, { lock: false });
  const trade = (id: number) => ({
    kind: "trade" as const,
    venue: "binance_us" as const,
    symbol: "BTC/USDT",
    exchangeTime: id,
    receiveTime: id,
    tradeId: String(id),
    price: 100 as Ticks,
    size: 1 as Lots,
    takerSide: "buy" as const,
  });
  for (let i = 0; i < 10; i++) {
    await a.writeBatch({ events: [trade(2 * i)] });
    await b.writeBatch({ events: [trade(2 * i + 1)] });
  }
  assert.equal((await a.tableCounts()).trades, 20);
  await a.close();
  await b.close();
});
