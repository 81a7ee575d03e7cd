/**
 * Opens the repositories of the store `storage.backend` selects (the same store
 * {@linkcode openStore} opens: SQLite at `storage.sqlite_path`, or PostgreSQL at `DATABASE_URL`).
 *
 * @module
 */

import type { Config, Secrets } from "../../core/config.ts";
import { openStore, type OpenStoreOptions } from "./open_store.ts";
import { PgStore } from "./pg_store.ts";
import { pgRepositories } from "./pg_repositories.ts";
import type { Repositories } from "./repositories.ts";
import { SqliteStore } from "./sqlite_store.ts";
import { sqliteRepositories } from "./sqlite_repositories.ts";

/** The repositories of an open store; close it when done. */
export interface OpenRepositories {
  /** The repositories. */
  readonly repos: Repositories;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Opens (and by default migrates) the configured store and returns its repositories.
 *
 * @throws {ConfigError} When the backend is postgres and DATABASE_URL is not set.
 * @throws {Error} When the database cannot be opened or migrated.
 */
export async function openRepositories(
  config: Config,
  secrets: Secrets,
  options: OpenStoreOptions = {},
): Promise<OpenRepositories> {
  const store = await openStore(config, secrets, options);
  const repos = store instanceof SqliteStore
    ? sqliteRepositories(store.db)
    : store instanceof PgStore
    ? pgRepositories(store.sql)
    : undefined;
  if (repos === undefined) {
    await store.close();
    throw new TypeError(`no repositories for the ${store.backend} backend`);
  }
  return { repos, close: () => store.close() };
}
