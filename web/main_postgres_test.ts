/**
 * The dashboard on the postgres backend: market data from the server, the rest (here the
 * control queue) from the local SQLite file, through web/main.ts's own wiring.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../core/errors.ts";
import { PgStore } from "../infra/store/pg_store.ts";
import { dropSchema, PG_SKIP, pgTestUrl, scratchSchema } from "../infra/store/pg_test_env.ts";
import { sqliteRepositories } from "../infra/store/sqlite_repositories.ts";
import { SqliteStore } from "../infra/store/sqlite_store.ts";
import { startDashboard } from "./main.ts";

const ROOT = new URL("../", import.meta.url);

async function postgresConfig(dir: string, schema: string): Promise<string> {
  const text = (await Deno.readTextFile(new URL("config.yaml", ROOT)))
    .replace("  backend: sqlite ", "  backend: postgres ")
    .replace("  sqlite_path: data/db/tickerml.db", `  sqlite_path: ${dir}/local.db`)
    .replace("    schema: public", `    schema: ${schema}`);
  assert.match(text, /backend: postgres/);
  const path = `${dir}/config.yaml`;
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test({
  name: "dashboard on the postgres backend reads bars from the server and controls from the file",
  ignore: PG_SKIP !== undefined,
  fn: async () => {
    const url = pgTestUrl();
    const schema = scratchSchema();
    const dir = await Deno.makeTempDir({ prefix: "tickerml-dash-pg-" });
    const pg = await PgStore.open(url, { schema });
    const local = await SqliteStore.open(`${dir}/local.db`);
    try {
      await pg.sql.unsafe(
        `INSERT INTO instruments VALUES ('kraken', 'ETH/USD', 'XETHZUSD', 'ETH', 'USD', 2, 4, 2, 4, 1, 1);
         INSERT INTO ohlcv VALUES ('kraken', 'ETH/USD', 60000, 300000, 300100, 299900, 300050, 20000, 4);`,
      );
      await sqliteRepositories(local.db).controls.append("pause_entries", "dashboard", 1);
      const config = await postgresConfig(dir, schema);
      const logs: string[] = [];
      const server = await startDashboard(["--port", "0", "--config", config], {
        log: (l) => logs.push(l),
        env: { DATABASE_URL: url },
        staticDir: dir,
      });
      try {
        const get = async (path: string) => await (await fetch(`${server.url}${path}`)).json();
        const overview = await get("/api/overview");
        assert.equal(overview.store.available, true);
        assert.deepEqual(overview.instruments.map((i: { symbol: string }) => i.symbol), [
          "ETH/USD",
        ]);
        assert.deepEqual(overview.controls.map((c: { command: string }) => c.command), [
          "pause_entries",
        ]);
        assert.deepEqual(await get("/api/bars?venue=kraken&symbol=ETH/USD"), [
          { time: 60, open: 3000, high: 3001, low: 2999, close: 3000.5, volume: 2 },
        ]);
        assert.match(logs.join("\n"), new RegExp(`reading ${dir}/local.db \\+ postgres://`));
      } finally {
        await server.close();
      }
    } finally {
      await local.close();
      await pg.close();
      await dropSchema(url, schema);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("dashboard on the postgres backend without DATABASE_URL is a configuration error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-dash-pg-" });
  try {
    const config = await postgresConfig(dir, "public");
    await assert.rejects(
      () => startDashboard(["--port", "0", "--config", config], { log: () => {}, env: {} }),
      (e: Error) => e instanceof ConfigError && /needs DATABASE_URL/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
