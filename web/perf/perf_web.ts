/**
 * Dashboard performance figures: `deno task perf:web [--seconds N] [--clients N]`.
 *
 * 1. Page payload: the built bundle, CSS and page, raw and gzipped (what the server sends).
 * 2. Fan-out: events/s the event stream delivers to N real HTTP clients when the hub publishes
 *    as fast as it can, and the server's heap/RSS sampled every second (flat = bounded).
 * 3. End to end: a writer appends paper fills to the SQLite store; the 500 ms poll loop pushes
 *    them; events/s each client receives.
 *
 * Everything runs in this one process on a shared machine: figures are indicative.
 *
 * @module
 */
import { syntheticFills } from "../../infra/store/testing/sql_fixture.ts";
import { scriptFlags } from "../../infra/cli/script_flags.ts";
import { startDashboard } from "../main.ts";
import { replayIntoStore, runSqlFixture, tempStorePath } from "../testing/fixture_store.ts";
import { LiveHub } from "../live/live_hub.ts";
import type { LiveEvent } from "../live/types.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const { values } = scriptFlags("perf:web", {
  options: {
    seconds: { type: "string", default: "5" },
    clients: { type: "string", default: "10" },
  },
});
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const gc = (globalThis as { gc?: () => void }).gc;

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

function memory(): { heap_mb: number; rss_mb: number } {
  gc?.();
  const m = Deno.memoryUsage();
  return { heap_mb: +(m.heapUsed / 2 ** 20).toFixed(1), rss_mb: +(m.rss / 2 ** 20).toFixed(1) };
}

/** Opens `n` event-stream clients that count the events they receive. */
async function openClients(url: string, n: number) {
  const counts = new Array(n).fill(0);
  const controllers: AbortController[] = [];
  const done: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const ac = new AbortController();
    controllers.push(ac);
    const res = await fetch(`${url}/api/stream`, { signal: ac.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    done.push((async () => {
      let tail = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          tail += value;
          let k;
          while ((k = tail.indexOf("\n\n")) >= 0) {
            if (tail.slice(0, k).includes("\nevent: ")) counts[i]++;
            tail = tail.slice(k + 2);
          }
        }
      } catch { /* aborted */ }
    })());
  }
  return {
    counts,
    close: async () => {
      controllers.forEach((c) => c.abort());
      await Promise.allSettled(done);
    },
  };
}

async function buildUi(dir: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--platform",
      "browser",
      "--minify",
      "--output",
      `${dir}/app.js`,
      `${ROOT}web/ui/main.tsx`,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  for (const f of ["index.html", "app.css"]) {
    await Deno.copyFile(`${ROOT}web/static/${f}`, `${dir}/${f}`);
  }
}

const { dir, path } = await tempStorePath();
await replayIntoStore(path);
await runSqlFixture(path);
await Deno.mkdir(`${dir}/ui`);
await buildUi(`${dir}/ui`);

// 1. Payload (the server gzips these when the client accepts it; fetch here decompresses
// transparently, so the gzip size is computed the same way the server's compression does it).
const payload: Record<string, { raw: number; gzip: number }> = {};
const server = await startDashboard(
  ["--store", path, "--port", "0", "--config", `${ROOT}config.yaml`],
  { log: () => {}, env: {}, staticDir: `${dir}/ui` },
);
for (const [name, route] of [["app.js", "/app.js"], ["app.css", "/app.css"], ["index.html", "/"]]) {
  const res = await fetch(`${server.url}${route}`);
  const raw = new Uint8Array(await res.arrayBuffer());
  payload[name!] = { raw: raw.byteLength, gzip: await gzipSize(raw) };
}
console.log("page payload (bytes):", JSON.stringify(payload));
console.log(
  `page JS gzipped: ${
    (payload["app.js"]!.gzip / 1024).toFixed(1)
  } KB (target < 300 KB, charts included)`,
);
await server.close();

// 2. Fan-out throughput of the hub over real HTTP, with memory samples.
{
  const hub = new LiveHub();
  const httpServer = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () => new Response(hub.connect(), { headers: { "content-type": "text/event-stream" } }),
  );
  const url = `http://127.0.0.1:${(httpServer.addr as Deno.NetAddr).port}`;
  const clients = await openClients(url, CLIENTS);
  const fill = (seq: number): LiveEvent => ({
    type: "fill",
    data: {
      id: seq,
      run_id: "perf",
      seq,
      order_id: `o${seq}`,
      venue: "binance",
      symbol: "BTC/USDT",
      side: "buy",
      price: 61602.01,
      size: 0.02,
      notional: 1232.04,
      fee: 1.23,
      liquidity: "taker",
      time: 1723161900000 + seq,
      tag: "strategy",
    },
  });
  const samples = [memory()];
  const start = performance.now();
  let seq = 0;
  let nextSample = start + 1000;
  while (performance.now() - start < SECONDS * 1000) {
    const batch: LiveEvent[] = [];
    for (let i = 0; i < 50; i++) batch.push(fill(++seq));
    hub.publish(batch);
    await new Promise((r) => setTimeout(r, 0));
    if (performance.now() >= nextSample) {
      samples.push(memory());
      nextSample += 1000;
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 300));
  const received = clients.counts.reduce((a, b) => a + b, 0);
  console.log(
    `fan-out: published ${seq} events in ${elapsed.toFixed(1)} s (${
      (seq / elapsed).toFixed(0)
    }/s); ` +
      `${CLIENTS} clients received ${received} in total, ` +
      `${(received / CLIENTS / elapsed).toFixed(0)} events/s per client, ` +
      `${
        (received / elapsed).toFixed(0)
      } events/s delivered; clients dropped for lagging: ${hub.dropped}`,
  );
  console.log(
    `fan-out memory per second (heap MB / RSS MB): ${
      samples.map((s) => `${s.heap_mb}/${s.rss_mb}`).join(" ")
    }`,
  );
  hub.close();
  await clients.close();
  await httpServer.shutdown();
}

// 3. End to end: rows written to SQLite -> poll loop -> clients.
{
  const server2 = await startDashboard(
    ["--store", path, "--port", "0", "--config", `${ROOT}config.yaml`],
    { log: () => {}, env: {}, staticDir: `${dir}/ui` },
  );
  const clients = await openClients(server2.url, CLIENTS);
  await new Promise((r) => setTimeout(r, 700));
  const base = clients.counts.reduce((a, b) => a + b, 0);
  const fills = syntheticFills(path);
  const samples = [memory()];
  const start = performance.now();
  let written = 0;
  while (performance.now() - start < SECONDS * 1000) {
    written = fills.write(100, Date.now());
    await new Promise((r) => setTimeout(r, 50));
    if (samples.length < (performance.now() - start) / 1000) samples.push(memory());
  }
  await new Promise((r) => setTimeout(r, 1200));
  const elapsed = (performance.now() - start) / 1000;
  const received = clients.counts.reduce((a, b) => a + b, 0) - base;
  console.log(
    `end to end: ${written} fills written (${(written / elapsed).toFixed(0)}/s), ` +
      `each of ${CLIENTS} clients received ${(received / CLIENTS).toFixed(0)} events ` +
      `(${(received / CLIENTS / elapsed).toFixed(0)}/s per client)`,
  );
  console.log(
    `end-to-end memory per second (heap MB / RSS MB): ${
      samples.map((s) => `${s.heap_mb}/${s.rss_mb}`).join(" ")
    }`,
  );
  fills.close();
  server2.dropClients();
  await clients.close();
  await server2.close();
}
await Deno.remove(dir, { recursive: true });
