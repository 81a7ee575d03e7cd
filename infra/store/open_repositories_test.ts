import assert from "node:assert/strict";
import { parse } from "yaml";
import { type Config, parseConfig } from "../../core/config.ts";
import { openRepositories } from "./open_repositories.ts";
import { dropSchema, PG_SKIP, pgTestUrl, scratchSchema } from "./pg_test_env.ts";

const CONFIG = new URL("../../config.yaml", import.meta.url);

async function config(storage: Record<string, unknown>): Promise<Config> {
  const doc = parse(await Deno.readTextFile(CONFIG));
  doc.storage = { ...doc.storage, ...storage };
  return parseConfig(doc, "test");
}

/** Writes through one opening and reads back through another: the same store. */
async function roundTrip(c: Config, databaseUrl?: string): Promise<void> {
  const secrets = databaseUrl ? { databaseUrl } : {};
  const a = await openRepositories(c, secrets);
  const id = await a.repos.backtestReports.append({
    createdAt: 1,
    name: "r",
    strategy: "flat",
    periodStart: 0,
    periodEnd: 0,
    metrics: { trades: 0 },
  });
  await a.repos.controls.append("pause_entries", "test", 2);
  await a.close();
  const b = await openRepositories(c, secrets);
  try {
    assert.equal(b.repos.backend, c.storage.backend);
    assert.deepEqual((await b.repos.backtestReports.latest(5)).map((r) => r.id), [id]);
    assert.deepEqual((await b.repos.controls.pending(5)).map((r) => r.command), ["pause_entries"]);
  } finally {
    await b.close();
  }
}

Deno.test("openRepositories opens the configured SQLite store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-repos-" });
  try {
    await roundTrip(await config({ backend: "sqlite", sqlite_path: `${dir}/edge.db` }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "openRepositories opens the configured PostgreSQL store",
  ignore: PG_SKIP !== undefined,
  fn: async () => {
    const url = pgTestUrl();
    const schema = scratchSchema();
    const base = await config({});
    try {
      await roundTrip(
        await config({
          backend: "postgres",
          postgres: { ...base.storage.postgres, schema, timescale: "off" },
        }),
        url,
      );
    } finally {
      await dropSchema(url, schema);
    }
  },
});
