import { SqliteStore } from "../sqlite_store.ts";
import { sqliteRepositories } from "../sqlite_repositories.ts";
import { dashboardContract } from "./dashboard_contract.ts";
import { StoreReader } from "./store_reader.ts";

dashboardContract("sqlite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-dash-" });
  const path = `${dir}/store.db`;
  const store = await SqliteStore.open(path);
  const reader = new StoreReader(path);
  return {
    reader,
    repos: sqliteRepositories(store.db),
    exec: (sql, ...params) => {
      store.db.prepare(sql).run(...params);
      return Promise.resolve();
    },
    dispose: async () => {
      await reader.close();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});
