/**
 * How PostgreSQL tests find their server: `TICKERML_TEST_PG_URL` (exported by
 * .ci/services.d/postgres.sh). Without it the tests are skipped with a message, except under CI
 * (`CI` set), where they fail.
 *
 * @module
 */
import { dropPgSchema } from "./pg_store.ts";

const url = Deno.env.get("TICKERML_TEST_PG_URL") || undefined;
const ci = Boolean(Deno.env.get("CI"));

/** Skip reason for PostgreSQL tests, or undefined when they run (always under CI). */
export const PG_SKIP: string | undefined = url || ci
  ? undefined
  : "TICKERML_TEST_PG_URL is not set (source .ci/services.d/postgres.sh to start a test server)";

if (PG_SKIP) console.warn(`PostgreSQL tests skipped: ${PG_SKIP}`);

/**
 * The test server's URL.
 *
 * @throws {Error} When it is not set (only reached under CI, where skipping is not allowed).
 */
export function pgTestUrl(): string {
  if (!url) {
    throw new Error(
      "TICKERML_TEST_PG_URL is not set but CI is: .ci/run must start PostgreSQL (.ci/services.d/postgres.sh)",
    );
  }
  return url;
}

/** A fresh schema name for one test (tests run in parallel on one database). */
export function scratchSchema(): string {
  return `tickerml_t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

/** Drops a test schema and everything in it. */
export const dropSchema: (url: string, schema: string) => Promise<void> = dropPgSchema;
