/**
 * The repositories' contract as Deno tests, registered for any backend: SQLite
 * (sqlite_repositories_test.ts) and PostgreSQL (pg_repositories_test.ts) run the same cases.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ControlCommandName } from "../../core/trading/engine/controls.ts";
import type { PredictionRow, Repositories } from "./repositories.ts";
import { newsContract } from "./news/news_contract.ts";
import { contractCases } from "./testing/contract_cases.ts";

/** Fresh repositories on an empty, migrated store for one test, and how to remove it. */
export interface RepositoryHandle {
  /** The repositories. */
  readonly repos: Repositories;
  /** Closes and removes the store. */
  dispose(): Promise<void>;
}

/**
 * Registers the contract's cases for one backend.
 *
 * @param backend Name in test names.
 * @param open Creates fresh repositories for one test.
 * @param skip Skip every case with this reason.
 *
 * The news repository's cases (news/news_contract.ts) run on the same stores.
 */
export function repositoryContract(
  backend: string,
  open: () => Promise<RepositoryHandle>,
  skip?: string,
): void {
  const cases = contractCases(`${backend} repositories`, open, skip);
  const test = (name: string, fn: (r: Repositories) => Promise<void>) =>
    cases(name, (h) => fn(h.repos));

  test("backtest reports append with increasing ids and read back newest first", async (r) => {
    const metrics = { net_return: -0.0123, trades: 7, best_baseline: "flat", sharpe: null };
    const a = await r.backtestReports.append({
      createdAt: 1_000,
      name: "imbalance a.gz",
      strategy: "imbalance",
      periodStart: 10,
      periodEnd: 20,
      metrics,
    });
    const b = await r.backtestReports.append({
      createdAt: 2_000,
      name: "flat b.gz",
      strategy: "flat",
      periodStart: 0,
      periodEnd: 0,
      metrics: {},
    });
    assert.ok(b > a);
    const latest = await r.backtestReports.latest(10);
    assert.deepEqual(latest.map((x) => x.id), [b, a]);
    assert.deepEqual(latest[1], {
      id: a,
      createdAt: 1_000,
      name: "imbalance a.gz",
      strategy: "imbalance",
      periodStart: 10,
      periodEnd: 20,
      metrics,
    });
    assert.deepEqual((await r.backtestReports.latest(1)).map((x) => x.id), [b]);
  });

  test("control commands queue as pending, settle once, and list after an id", async (r) => {
    const c1 = await r.controls.append("pause_entries", "dashboard", 5_000);
    const c2 = await r.controls.append("kill_switch", "dashboard", 5_001);
    assert.deepEqual(c1, {
      id: c1.id,
      ts: 5_000,
      command: "pause_entries",
      source: "dashboard",
      status: "pending",
      handled_at: null,
      detail: null,
    });
    assert.deepEqual((await r.controls.pending(10)).map((c) => c.id), [c1.id, c2.id]);
    assert.equal(await r.controls.settle(c1.id, "applied", 6_000, "entries paused"), true);
    assert.equal(await r.controls.settle(c1.id, "rejected", 6_001, "again"), false);
    assert.deepEqual((await r.controls.pending(10)).map((c) => c.id), [c2.id]);
    const after = await r.controls.after(0, 10);
    assert.deepEqual(after.map((c) => [c.id, c.status, c.handled_at, c.detail]), [
      [c1.id, "applied", 6_000, "entries paused"],
      [c2.id, "pending", null, null],
    ]);
    assert.deepEqual((await r.controls.after(c1.id, 10)).map((c) => c.id), [c2.id]);
    await assert.rejects(
      () => r.controls.append("launch_rockets" as ControlCommandName, "dashboard", 7_000),
      /check/i,
    );
    assert.equal((await r.controls.after(0, 10)).length, 2);
  });

  test("predictions round-trip, attention optional, newest first", async (r) => {
    const row = (timestamp: number, attention: string | null): PredictionRow => ({
      timestamp,
      venue: "binance_us",
      symbol: "BTC/USDT",
      model_version: "m1",
      action: "buy",
      action_probs: JSON.stringify({ hold: 0.2, buy: 0.7, sell: 0.1 }),
      position_size: 0.5,
      risk_score: 0.25,
      price_pred: "[0.001,-0.002]",
      latency_ms: 1.5,
      attention,
    });
    await r.predictions.save(row(1_000, null));
    await r.predictions.save(row(2_000, "[[0.5,0.5],[0.25,0.75]]"));
    assert.deepEqual(await r.predictions.latest(5), [
      row(2_000, "[[0.5,0.5],[0.25,0.75]]"),
      row(1_000, null),
    ]);
  });

  newsContract(backend, async () => {
    const h = await open();
    return { repo: h.repos.news, dispose: () => h.dispose() };
  }, skip);
}
