import assert from "node:assert/strict";
import type { Alert } from "../../core/trading/alerts.ts";
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
  try {
    await alertSink({
      webhook: `http://127.0.0.1:${server.addr.port}/alerts`,
      log: (l) => log.push(l),
    })(ALERT);
  } finally {
    await server.shutdown();
  }
  assert.deepEqual(got, [ALERT]);
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
  await alertSink({ webhook: `http://127.0.0.1:${port}/`, log: (l) => log.push(l) })(ALERT);
  assert.match(log[1] ?? "", /alert webhook failed/);
});
