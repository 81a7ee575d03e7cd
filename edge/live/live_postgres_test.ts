/**
 * `start` with `storage.backend: postgres`: the market data go to PostgreSQL, the paper account
 * stays in the local SQLite file (crash-safe without the network), and a restart continues it.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import { dropSchema, PG_SKIP, pgTestUrl, scratchSchema } from "../../infra/store/pg_test_env.ts";
import { writeLiveConfig } from "../soak/live_config.ts";
import { startSimProcess } from "../soak/sim_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test({
  name: "start on postgres: deltas in PostgreSQL, the account in SQLite, a restart continues it",
  ignore: PG_SKIP !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const url = pgTestUrl();
    const schema = scratchSchema();
    const dir = await Deno.makeTempDir({ prefix: "tickerml-live-pg-" });
    const sim = await startSimProcess(["--speed", "10", "--symbols", "BTC/USDT"]);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const config = await writeLiveConfig({
        path: `${dir}/config.yaml`,
        urls: sim.urls,
        storePath: `${dir}/state.db`,
        registryDir: `${dir}/registry`,
        logDir: `${dir}/logs`,
        strategy: "buy-and-hold",
        pgSchema: schema,
      });
      const run = async () => {
        const r = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "edge/main.ts",
            "start",
            "--config",
            config,
            "--no-news",
            "--duration",
            "6",
            "--json",
          ],
          cwd: ROOT,
          env: { DATABASE_URL: url },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const err = new TextDecoder().decode(r.stderr);
        assert.equal(r.code, 0, err.slice(-2000));
        return JSON.parse(new TextDecoder().decode(r.stdout).trim().split("\n").at(-1)!);
      };
      const a = await run();
      const b = await run();
      assert.equal(b.run_id, a.run_id);
      assert.equal(b.resumed, true);
      assert.equal(b.previous_clean_stop, true);
      const rows = await sql.unsafe(`SELECT COUNT(*)::int AS n FROM "${schema}".book_deltas`);
      const n = Number(rows[0]?.n);
      assert.ok(n > 0, "no deltas in PostgreSQL");
      assert.ok(b.store.book_deltas === n, `summary ${b.store.book_deltas} vs ${n}`);
      const db = new DatabaseSync(`${dir}/state.db`, { readOnly: true });
      const one = (q: string) => Number((db.prepare(q).get() as { n: number }).n);
      assert.equal(one("SELECT COUNT(*) AS n FROM paper_runs"), 1);
      assert.equal(one("SELECT COUNT(*) AS n FROM book_deltas"), 0);
      assert.ok(one("SELECT COUNT(*) AS n FROM feed_health") > 0);
      db.close();
    } finally {
      await sql.end();
      await sim.stop();
      await dropSchema(url, schema);
    }
  },
});
