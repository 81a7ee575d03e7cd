import assert from "node:assert/strict";
import { SqliteStore } from "../sqlite_store.ts";
import { sqliteRepositories } from "../sqlite_repositories.ts";
import { readInstruments } from "./decoder.ts";
import { instrumentCount } from "./poll_queries.ts";
import { RoutedReader } from "./routed_reader.ts";
import { StoreReader } from "./store_reader.ts";
import { controlsAfter } from "./trading_queries.ts";

Deno.test("RoutedReader reads market tables from the remote store, the rest locally", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-routed-" });
  const local = await SqliteStore.open(`${dir}/local.db`);
  const remote = await SqliteStore.open(`${dir}/remote.db`);
  const reader = new RoutedReader(
    new StoreReader(`${dir}/local.db`),
    new StoreReader(`${dir}/remote.db`),
  );
  try {
    remote.db.exec(
      `INSERT INTO instruments VALUES ('kraken', 'ETH/USD', 'XETHZUSD', 'ETH', 'USD', 2, 8, 2, 8, 1, 1)`,
    );
    await sqliteRepositories(local.db).controls.append("kill_switch", "dashboard", 1);
    await sqliteRepositories(remote.db).controls.append("resume", "dashboard", 2);
    assert.equal(await reader.available(), true);
    assert.equal(reader.path, `${dir}/local.db + ${dir}/remote.db`);
    assert.equal(await instrumentCount(reader), 1);
    assert.deepEqual((await readInstruments(reader)).map((i) => i.symbol), ["ETH/USD"]);
    assert.deepEqual((await controlsAfter(reader, -1)).map((c) => c.command), ["kill_switch"]);
    await assert.rejects(
      () => reader.all(["trades", "paper_fills"], "SELECT 1"),
      /reads tables of both stores: trades, paper_fills/,
    );
  } finally {
    await reader.close();
    await local.close();
    await remote.close();
    await Deno.remove(dir, { recursive: true });
  }
});
