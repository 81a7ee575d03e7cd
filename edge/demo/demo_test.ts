/**
 * The demo end to end, headless, as CI runs it: `demo --duration 60` in its own process,
 * the dashboard API queried while it runs, then the summary and the store checked.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test({
  name: "deno task demo --duration 60 trades, decides, fills the store and serves the dashboard",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tickerml-demo-" });
    const store = `${dir}/demo.db`;
    const port = freePort();
    const root = new URL("../../", import.meta.url).pathname;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "edge/main.ts",
        "demo",
        "--duration",
        "60",
        "--json",
        "--store",
        store,
        "--port",
        String(port),
      ],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = child.output();
    // While it runs, the dashboard answers with live data.
    let overview: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !overview; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      if (i < 30) continue;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/overview`);
        const body = await res.json();
        if (res.ok && Array.isArray(body.books) && body.books.length > 0) overview = body;
      } catch { /* not up yet */ }
    }
    const r = await output;
    const err = new TextDecoder().decode(r.stderr);
    assert.equal(r.code, 0, err.slice(-2000));
    assert.ok(overview, `the dashboard API never answered with books\n${err.slice(-1500)}`);
    const summary = JSON.parse(new TextDecoder().decode(r.stdout).trim().split("\n").at(-1)!);
    assert.equal(summary.strategy, "model");
    assert.ok(summary.events > 1_000, `events ${summary.events}`);
    assert.ok(summary.decisions > 0 && summary.predictions > 0, JSON.stringify(summary));
    assert.ok(summary.fills > 0, `no trades: ${JSON.stringify(summary)}`);
    assert.ok(summary.news.articles > 0);
    const db = new DatabaseSync(store, { readOnly: true });
    const count = (t: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    assert.ok(count("predictions") > 0);
    assert.ok(count("paper_fills") > 0);
    assert.ok(count("book_deltas") > 0 && count("trades") > 0 && count("feed_health") > 0);
    db.close();
  },
});
