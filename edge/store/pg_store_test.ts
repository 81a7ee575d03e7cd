import assert from "node:assert/strict";
import { HYPERTABLES, PG_MIGRATIONS, timescaleSetup } from "../../infra/store/pg_migrations.ts";
import { isTransientPgError, PgStore } from "../../infra/store/pg_store.ts";
import { dropSchema, PG_SKIP, pgTestUrl, scratchSchema } from "../../infra/store/pg_test_env.ts";
import { SQLITE_MIGRATIONS } from "../../infra/store/sqlite_migrations.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { collect, firstEvents, storeContract } from "../../infra/store/store_contract.ts";
import { bundledReplay } from "./bundled_replay.ts";

storeContract("postgres", async () => {
  const url = pgTestUrl();
  const schema = scratchSchema();
  return {
    store: await PgStore.open(url, { schema }),
    reopen: () => PgStore.open(url, { schema }),
    dispose: () => dropSchema(url, schema),
  };
}, { replay: bundledReplay, idempotentEvents: true, ...(PG_SKIP ? { skip: PG_SKIP } : {}) });

const pgTest = (name: string, fn: (url: string, schema: string) => Promise<void>) =>
  Deno.test({
    name: `PgStore ${name}`,
    ignore: PG_SKIP !== undefined,
    fn: async () => {
      const url = pgTestUrl();
      const schema = scratchSchema();
      try {
        await fn(url, schema);
      } finally {
        await dropSchema(url, schema);
      }
    },
  });

Deno.test("PostgreSQL migrations mirror the SQLite versions and names", () => {
  assert.deepEqual(
    PG_MIGRATIONS.map((m) => [m.version, m.name]),
    SQLITE_MIGRATIONS.map((m) => [m.version, m.name]),
  );
});

/** Column differences that are by design (see PG_MIGRATIONS): no ingest counter, natural keys. */
const BY_DESIGN: Record<string, { sqliteOnly: string[]; pgOnly: string[] }> = {
  order_books: { sqliteOnly: ["id", "seq"], pgOnly: ["digest", "ts"] },
  book_deltas: { sqliteOnly: ["seq"], pgOnly: ["digest", "ts"] },
  trades: { sqliteOnly: ["seq"], pgOnly: ["ts"] },
};

pgTest("has SQLite's tables and columns, apart from the keys by design", async (url, schema) => {
  const lite = await SqliteStore.open(":memory:");
  const store = await PgStore.open(url, { schema });
  try {
    const liteTables = (lite.db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    ).all() as { name: string }[]).map((r) => r.name);
    const pgCols = await store.sql.unsafe(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = $1 ORDER BY table_name, column_name`,
      [schema],
    );
    assert.deepEqual([...new Set(pgCols.map((r) => String(r.table_name)))], liteTables);
    for (const table of liteTables) {
      const liteColumns = (lite.db.prepare(`PRAGMA table_info(${table})`).all() as {
        name: string;
      }[]).map((r) => r.name);
      const pgColumns = pgCols.filter((r) => r.table_name === table).map((r) =>
        String(r.column_name)
      );
      const d = BY_DESIGN[table] ?? { sqliteOnly: [], pgOnly: [] };
      assert.deepEqual(
        pgColumns.filter((c) => !d.pgOnly.includes(c)).sort(),
        liteColumns.filter((c) => !d.sqliteOnly.includes(c)).sort(),
        table,
      );
    }
  } finally {
    await lite.close();
    await store.close();
  }
});

pgTest(
  "reports plain tables when TimescaleDB is absent or off, and its schema version",
  async (url, schema) => {
    const logs: string[] = [];
    const store = await PgStore.open(url, { schema, onLog: (l) => logs.push(l) });
    try {
      assert.equal(await store.schemaVersion(), PG_MIGRATIONS.length);
      const [ext] = await store.sql.unsafe(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'",
      );
      if (!ext) {
        assert.equal(store.mode.timescale, false);
        assert.match(store.mode.detail, /not available/);
        assert.ok(logs.some((l) => l.includes("plain tables")), logs.join("\n"));
      } else {
        assert.equal(store.mode.timescale, true, store.mode.detail);
        assert.deepEqual(store.mode.hypertables, ["book_deltas", "ohlcv", "order_books", "trades"]);
      }
      const off = await store.migrate.call(
        await PgStore.open(url, { schema, timescale: "off", migrate: false }),
      );
      assert.equal(off.mode.timescale, false);
      assert.match(off.mode.detail, /disabled/);
    } finally {
      await store.close();
    }
  },
);

pgTest(
  "four edges writing the same and overlapping batches concurrently store each row once",
  async (url, schema) => {
    const events = await firstEvents(bundledReplay, 4_000);
    const stores = await Promise.all([0, 1, 2, 3].map(() => PgStore.open(url, { schema })));
    try {
      // Every edge writes the whole range in its own batch boundaries and order.
      await Promise.all(stores.map(async (s, w) => {
        const size = 250 + 97 * w;
        const batches = [];
        for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
        if (w % 2) batches.reverse();
        for (const b of batches) await s.writeBatch({ events: b });
      }));
      const counts = await stores[0]!.tableCounts();
      assert.equal(counts.book_deltas, events.filter((e) => e.kind === "delta").length);
      assert.equal(counts.trades, events.filter((e) => e.kind === "trade").length);
      assert.deepEqual(await collect(stores[0]!.readEvents()), events);
      const inserted = stores.reduce(
        (n, s) => n + s.stats.inserted.book_deltas + s.stats.inserted.trades,
        0,
      );
      assert.equal(inserted, counts.book_deltas + counts.trades);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  },
);

Deno.test("isTransientPgError retries connection loss, shutdown and deadlocks, not bad data", () => {
  for (const code of ["ECONNREFUSED", "CONNECTION_CLOSED", "57P01", "57P03", "08006", "40P01"]) {
    assert.equal(isTransientPgError({ code }), true, code);
  }
  for (const code of ["23514", "23505", "42P01", "22P02"]) {
    assert.equal(isTransientPgError({ code }), false, code);
  }
  assert.equal(isTransientPgError(new Error("x")), false);
});

pgTest("hypertable compression settings cover each primary key exactly", async (url, schema) => {
  const store = await PgStore.open(url, { schema });
  try {
    for (const h of HYPERTABLES) {
      const pk = await store.sql.unsafe(
        `SELECT a.attname FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = $1::regclass AND i.indisprimary`,
        [`${schema}.${h.table}`],
      );
      const cols = `${h.segmentBy}, ${h.orderBy}`.split(",").map((c) => c.trim());
      assert.deepEqual(cols.toSorted(), pk.map((r) => String(r.attname)).sort(), h.table);
      assert.ok(pk.some((r) => r.attname === h.column), `${h.table} key has ${h.column}`);
      const sql = timescaleSetup(h, { chunkMs: 1, compressAfterDays: 7, retentionDays: 0 }, false)
        .join(";");
      assert.match(sql, new RegExp(`compress_orderby = '${h.orderBy}'`));
      assert.doesNotMatch(sql, /add_retention_policy/);
    }
  } finally {
    await store.close();
  }
});
