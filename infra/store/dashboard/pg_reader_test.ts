import assert from "node:assert/strict";
import { PgStore } from "../pg_store.ts";
import { pgRepositories } from "../pg_repositories.ts";
import { dropSchema, PG_SKIP, pgTestUrl, scratchSchema } from "../pg_test_env.ts";
import { hasBookTables } from "./book_queries.ts";
import { dashboardContract } from "./dashboard_contract.ts";
import { Decoder } from "./decoder.ts";
import { lastTradeSeq, recentTrades, tradesAfter } from "./market_queries.ts";
import { numberPlaceholders, PgDashboardReader } from "./pg_reader.ts";

dashboardContract("postgres", async () => {
  const url = pgTestUrl();
  const schema = scratchSchema();
  const store = await PgStore.open(url, { schema });
  const reader = new PgDashboardReader(url, schema);
  return {
    reader,
    repos: pgRepositories(store.sql),
    exec: async (sql, ...params) => {
      await store.sql.unsafe(numberPlaceholders(sql), params as never);
    },
    dispose: async () => {
      await reader.close();
      await store.close();
      await dropSchema(url, schema);
    },
  };
}, PG_SKIP);

Deno.test({
  name: "postgres dashboard reader: the live books and the tape read empty (no ingest counters)",
  ignore: PG_SKIP !== undefined,
  fn: async () => {
    const url = pgTestUrl();
    const schema = scratchSchema();
    const store = await PgStore.open(url, { schema });
    const reader = new PgDashboardReader(url, schema);
    try {
      assert.equal(await reader.hasTable("trades"), true);
      assert.equal(await hasBookTables(reader), false);
      assert.deepEqual(await recentTrades(reader, new Decoder([])), []);
      assert.deepEqual(await tradesAfter(reader, new Decoder([]), 0), []);
      assert.equal(await lastTradeSeq(reader), 0);
    } finally {
      await reader.close();
      await store.close();
      await dropSchema(url, schema);
    }
  },
});

Deno.test({
  name: "postgres dashboard reader: an unreachable server is unavailable, with the password hidden",
  fn: async () => {
    const reader = new PgDashboardReader("postgres://u:s3cretpw@127.0.0.1:1/db");
    try {
      assert.equal(reader.path, "postgres://u:***@127.0.0.1:1/db");
      assert.equal(await reader.available(), false);
      assert.match(reader.lastError ?? "", /cannot reach PostgreSQL/);
      assert.doesNotMatch(reader.lastError ?? "", /s3cretpw/);
      assert.equal(await reader.hasTable("trades"), false);
    } finally {
      await reader.close();
    }
  },
});

Deno.test("numberPlaceholders() numbers ? in order", () => {
  assert.equal(numberPlaceholders("a = ? AND b > ? LIMIT ?"), "a = $1 AND b > $2 LIMIT $3");
});
