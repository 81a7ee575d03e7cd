import assert from "node:assert/strict";
import { LiveHub } from "./live_hub.ts";
import { PollLoop } from "./poll_loop.ts";
import type { LiveSource } from "./store_poller.ts";

Deno.test("PollLoop.tick() publishes the source's events and survives a failing poll", async () => {
  let calls = 0;
  const source: LiveSource = {
    poll(now) {
      calls++;
      if (calls === 2) throw new Error("database is locked");
      return Promise.resolve([{ type: "heartbeat", data: { time: now } }]);
    },
  };
  const hub = new LiveHub();
  const reader = hub.connect().getReader();
  const errors: string[] = [];
  const loop = new PollLoop(source, hub, {
    now: () => 42,
    onError: (e) => errors.push((e as Error).message),
  });
  assert.equal(await loop.tick(), 1);
  assert.equal(await loop.tick(), 0);
  assert.equal(await loop.tick(), 1);
  assert.deepEqual(errors, ["database is locked"]);
  assert.equal(loop.errors, 1);
  assert.equal(hub.published, 2);
  let text = "";
  while ((text.match(/event: heartbeat/g) ?? []).length < 2) {
    text += new TextDecoder().decode((await reader.read()).value);
  }
  assert.match(text, /data: \{"time":42\}/);
  hub.close();
});

Deno.test("PollLoop.start() polls on its own until stopped", async () => {
  let calls = 0;
  const loop = new PollLoop(
    {
      poll: () => {
        calls++;
        return Promise.resolve([]);
      },
    },
    new LiveHub(),
    { intervalMs: 10 },
  );
  loop.start();
  loop.start();
  while (calls < 3) await new Promise((r) => setTimeout(r, 5));
  loop.stop();
  const stopped = calls;
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(calls, stopped, "no poll after stop()");
});
