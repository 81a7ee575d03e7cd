import assert from "node:assert/strict";
import { WsConnection } from "./connection.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("WsConnection reconnects after a server close and after silence, then stops cleanly", async () => {
  let accepted = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    const n = ++accepted;
    socket.onopen = () => {
      if (n === 1) socket.close(1000, "24h connection limit"); // close the first at once
      if (n === 2) socket.send("hello"); // then go silent: the watchdog must act
    };
    socket.onmessage = (ev) => socket.send(`echo ${ev.data}`);
    return response;
  });
  const frames: string[] = [];
  const closes: { code: number; silent: boolean }[] = [];
  const conn = new WsConnection({
    name: "test",
    url: () => `ws://127.0.0.1:${server.addr.port}`,
    onOpen: (send) => send("sub"),
    onMessage: (t) => frames.push(t),
    onClose: (c) => closes.push({ code: c.code, silent: c.silent }),
    initialDelayMs: 10,
    maxDelayMs: 20,
    silenceTimeoutMs: 200,
    random: () => 0,
  });
  conn.start();
  const deadline = Date.now() + 5000;
  while (accepted < 3 && Date.now() < deadline) await sleep(10);
  assert.ok(accepted >= 3, `connections: ${accepted}`);
  assert.equal(closes[0]?.code, 1000);
  assert.ok(closes.some((c) => c.silent), JSON.stringify(closes));
  assert.ok(conn.counters.silenceTimeouts >= 1);
  assert.ok(frames.includes("hello") && frames.includes("echo sub"));
  await conn.stop();
  assert.equal(conn.open, false);
  const after = accepted;
  await sleep(100);
  assert.equal(accepted, after, "no reconnect after stop");
  await server.shutdown();
});
