import assert from "node:assert/strict";
import { openReportStore, ReportStoreError } from "./backtest_report_store.ts";
import { SqliteStore } from "./sqlite_store.ts";
import { sqliteRepositories } from "./sqlite_repositories.ts";

Deno.test("openReportStore appends to an edge SQLite store and refuses other files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-reports-" });
  try {
    const market = await SqliteStore.open(`${dir}/edge.db`);
    const reports = await openReportStore(`${dir}/edge.db`);
    const row = {
      createdAt: 5,
      name: "imbalance x.gz",
      strategy: "imbalance",
      periodStart: 1,
      periodEnd: 2,
      metrics: { net_return: 0.5 },
    };
    const id = await reports.reports.append(row);
    await reports.close();
    assert.deepEqual(await sqliteRepositories(market.db).backtestReports.latest(5), [
      { id, ...row },
    ]);
    await market.close();

    await Deno.writeTextFile(`${dir}/notes.txt`, "not a database, just text ".repeat(40));
    await assert.rejects(
      () => openReportStore(`${dir}/notes.txt`),
      (e: Error) =>
        e instanceof ReportStoreError && /notes\.txt: not an SQLite store/.test(e.message),
    );
    await assert.rejects(
      () => openReportStore(`${dir}/none.db`),
      (e: Error) => e instanceof ReportStoreError && /none\.db/.test(e.message),
    );
    assert.throws(() => Deno.statSync(`${dir}/none.db`), "no store is created");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
