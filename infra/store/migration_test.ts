import assert from "node:assert/strict";
import { migrationLabel, pendingMigrations } from "./migration.ts";
import { PG_MIGRATIONS } from "./pg_migrations.ts";
import { SQLITE_MIGRATIONS } from "./sqlite_migrations.ts";

Deno.test("pendingMigrations() keeps the migrations above the current version, in order", () => {
  const list = [1, 2, 3].map((version) => ({ version, name: `v${version}`, sql: "" }));
  assert.deepEqual(pendingMigrations(list, 0), list);
  assert.deepEqual(pendingMigrations(list, 2), [list[2]]);
  assert.deepEqual(pendingMigrations(list, 3), []);
  assert.deepEqual(pendingMigrations([], 0), []);
});

Deno.test("migrationLabel() names a migration by version and name", () => {
  assert.equal(migrationLabel({ version: 4, name: "dashboard", sql: "SELECT 1" }), "4 dashboard");
});

Deno.test("SQLite and PostgreSQL migrations have the same versions and names", () => {
  assert.deepEqual(SQLITE_MIGRATIONS.map(migrationLabel), PG_MIGRATIONS.map(migrationLabel));
});
