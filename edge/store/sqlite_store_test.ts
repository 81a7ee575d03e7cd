import assert from "node:assert/strict";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { SQLITE_MIGRATIONS } from "../../infra/store/sqlite_migrations.ts";
import { storeContract } from "../../infra/store/store_contract.ts";
import { bundledReplay } from "./bundled_replay.ts";

storeContract("sqlite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-store-" });
  const path = `${dir}/t.db`;
  return {
    store: await SqliteStore.open(path),
    reopen: () => SqliteStore.open(path),
    dispose: () => Deno.remove(dir, { recursive: true }),
  };
}, { replay: bundledReplay, idempotentEvents: false });

Deno.test("SqliteStore records its schema version", async () => {
  const store = await SqliteStore.open(":memory:");
  assert.equal(store.schemaVersion(), SQLITE_MIGRATIONS.length);
  const fresh = await SqliteStore.open(":memory:", { migrate: false });
  assert.equal(fresh.schemaVersion(), 0);
  assert.deepEqual(
    (await fresh.migrate()).applied,
    SQLITE_MIGRATIONS.map((m) => `${m.version} ${m.name}`),
  );
  await store.close();
  await fresh.close();
});
