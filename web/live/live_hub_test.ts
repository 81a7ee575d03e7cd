import assert from "node:assert/strict";
import { LiveHub } from "./live_hub.ts";
import type { LiveEvent } from "./types.ts";

const beat = (time: number): LiveEvent => ({ type: "heartbeat", data: { time } });

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, needle: string) {
  let text = "";
  while (!text.includes(needle)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  return text;
}

Deno.test("LiveHub.publish() sends every event, in order, to every client", async () => {
  const hub = new LiveHub();
  const readers = [hub.connect(), hub.connect(), hub.connect()].map((s) => s.getReader());
  assert.equal(hub.clients, 3);
  hub.publish([beat(1), beat(2)]);
  hub.publish([{
    type: "trade",
    data: { seq: 7, venue: "binance", symbol: "BTC/USDT", time: 3, price: 1, size: 2, side: "buy" },
  }]);
  for (const r of readers) {
    const text = await readUntil(r, "event: trade");
    assert.match(text, /^retry: 2000\n\n/);
    assert.deepEqual([...text.matchAll(/id: (\d+)\nevent: (\w+)/g)].map((m) => `${m[1]}:${m[2]}`), [
      "1:heartbeat",
      "2:heartbeat",
      "3:trade",
    ]);
    assert.match(text, /data: \{"seq":7,/);
  }
  hub.close();
  assert.equal(hub.clients, 0);
  for (const r of readers) assert.equal((await r.read()).done, true);
});

Deno.test("LiveHub drops a client that stops reading, so memory stays bounded", async () => {
  const hub = new LiveHub({ maxQueuedBytes: 4096 });
  const slow = hub.connect(); // never read
  const fast = hub.connect().getReader();
  for (let i = 0; i < 200; i++) {
    hub.publish([beat(i)]);
    await readUntil(fast, `"time":${i}}`);
  }
  assert.equal(hub.dropped, 1);
  assert.equal(hub.clients, 1);
  assert.equal(hub.published, 200);
  await slow.cancel();
  hub.close();
});

Deno.test("LiveHub removes a client whose reader cancels or whose request aborts", async () => {
  const hub = new LiveHub();
  const s = hub.connect();
  const ac = new AbortController();
  hub.connect(ac.signal);
  assert.equal(hub.clients, 2);
  await s.cancel();
  ac.abort();
  assert.equal(hub.clients, 0);
  hub.publish([beat(1)]);
  assert.equal(hub.dropped, 0);
});

Deno.test("LiveHub refuses clients beyond maxClients", async () => {
  const hub = new LiveHub({ maxClients: 2 });
  const a = hub.connect();
  hub.connect();
  assert.equal(hub.full, true);
  assert.throws(() => hub.connect(), /2 clients already connected/);
  await a.cancel();
  assert.equal(hub.full, false);
  hub.close();
});
