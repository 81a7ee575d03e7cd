import { repositoryContract } from "./repository_contract.ts";
import { sqliteRepositories } from "./sqlite_repositories.ts";
import { SqliteStore } from "./sqlite_store.ts";

repositoryContract("sqlite", async () => {
  const store = await SqliteStore.open(":memory:");
  return { repos: sqliteRepositories(store.db), dispose: () => store.close() };
});
