import assert from "node:assert/strict";
import { openReportStore, ReportStoreError } from "./backtest_report_store.ts";
import { pgRepositories } from "./pg_repositories.ts";
import { PgStore } from "./pg_store.ts";
import { dropSchema, PG_SKIP, pgTestUrl, scratchSchema } from "./pg_test_env.ts";
import { repositoryContract } from "./repository_contract.ts";

repositoryContract("postgres", async () => {
  const url = pgTestUrl();
  const schema = scratchSchema();
  const store = await PgStore.open(url, { schema });
  return {
    repos: pgRepositories(store.sql),
    dispose: async () => {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}, PG_SKIP);

Deno.test({
  name: "openReportStore on a PostgreSQL URL appends reports, refuses a schema without the table",
  ignore: PG_SKIP !== undefined,
  fn: async () => {
    const url = pgTestUrl();
    const schema = scratchSchema();
    const empty = scratchSchema();
    const store = await PgStore.open(url, { schema });
    try {
      const reports = await openReportStore(`${url}?schema=${schema}`);
      const id = await reports.reports.append({
        createdAt: 1,
        name: "n",
        strategy: "flat",
        periodStart: 0,
        periodEnd: 0,
        metrics: { trades: 0 },
      });
      assert.deepEqual((await pgRepositories(store.sql).backtestReports.latest(1))[0]?.id, id);
      await reports.close();
      await assert.rejects(
        () => openReportStore(`${url}?schema=${empty}`),
        (e: Error) =>
          e instanceof ReportStoreError && /has no backtest_reports table/.test(e.message),
      );
    } finally {
      await store.close();
      await dropSchema(url, schema);
    }
  },
});
