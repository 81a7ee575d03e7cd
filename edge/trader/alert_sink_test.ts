import assert from "node:assert/strict";
import type { Alert } from "../../core/trading/risk/alerts.ts";
import { alertSink } from "./alert_sink.ts";

const ALERT: Alert = {
  time: 0,
  kind: "hit_rate",
  value: 0.1,
  threshold: 0.3,
  message: "hit_rate 0.100 fell below 0.3",
};

Deno.test("alertSink logs each alert and posts it to the webhook as JSON", async () => {
  const got: unknown[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    got.push(await req.json());
    return new Response("ok");
  });
  const log: string[] = [];
  const sink = alertSink({
    webhook: `http://127.0.0.1:${server.addr.port}/alerts`,
    log: (l) => log.push(l),
  });
  try {
    sink(ALERT);
    await sink.idle();
  } finally {
    await server.shutdown();
  }
  assert.deepEqual(got, [ALERT]);
  assert.equal(sink.stats.posted, 1);
  assert.match(log[0] ?? "", /alert 1970-01-01T00:00:00.000Z hit_rate 0.100 fell below 0.3/);
});

Deno.test("alertSink survives an unreachable webhook", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(""),
  );
  const port = server.addr.port;
  await server.shutdown();
  const log: string[] = [];
  const sink = alertSink({ webhook: `http://127.0.0.1:${port}/`, log: (l) => log.push(l) });
  sink(ALERT);
  await sink.idle();
  assert.match(log[1] ?? "", /alert webhook failed/);
});

Deno.test("alertSink: a silent webhook never blocks the caller, times out, and in-flight posts are bounded", async () => {
  const release = Promise.withResolvers<void>();
  let received = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async () => {
    received++;
    await release.promise; // never answers in time
    return new Response("late");
  });
  const log: string[] = [];
  const sink = alertSink({
    webhook: `http://127.0.0.1:${server.addr.port}/`,
    log: (l) => log.push(l),
    timeoutMs: 200,
    maxInFlight: 2,
  });
  try {
    // The handler returns synchronously: the trading loop has nothing to await.
    const results = [1, 2, 3].map(() => sink(ALERT) as unknown);
    assert.deepEqual(results, [undefined, undefined, undefined]);
    assert.equal(sink.stats.skipped, 1);
    await sink.idle();
    assert.equal(sink.stats.failed, 2);
    assert.ok(
      log.some((l) => /alert webhook failed: no answer within 200 ms/.test(l)),
      log.join("\n"),
    );
    assert.ok(received <= 2);
  } finally {
    release.resolve();
    await server.shutdown();
  }
});
