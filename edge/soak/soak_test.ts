/**
 * The short soak, as CI runs it (about a minute): 0.4 market hours at 24x, the live edge
 * SIGKILLed twice and restarted, simulator faults (including a repeated frame), as root a full
 * disk for 8 s (the store on a tmpfs the soak fills and frees), retention caps configured, then
 * every check of the long soak must pass.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { loadConfig } from "../../infra/config/load_config.ts";
import { reconcile } from "../live/reconcile.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { runSoak } from "./soak_run.ts";

Deno.test({
  name: "short soak: 2 SIGKILLs and faults, no delta missing or duplicated, ledger consistent",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tickerml-soak-test-" });
    const lines: string[] = [];
    const r = await runSoak({
      marketHours: 0.4,
      speed: 24,
      kills: 2,
      faults: 4,
      seed: 3,
      dir,
      strategy: "buy-and-hold",
      restartDelayMs: 1_000,
      log: (l) => lines.push(l),
      diskFullS: 8,
      maxStoreMb: 64,
      maxArchiveMb: 256,
      archiveAfterHours: 1,
    });
    const why = `${JSON.stringify({ ...r, books: undefined })}\n${lines.join("\n")}`;
    assert.equal(r.kills, 2, why);
    assert.equal(r.sessions_killed + r.kills_during_startup, 2, why);
    assert.equal(r.sessions, 1 + r.sessions_killed, why);
    assert.equal(r.unexplained_sessions, 0, why);
    assert.equal(r.final_exit_code, 0, why);
    assert.equal(r.missing, 0, why);
    assert.equal(r.duplicated, 0, why);
    // Each restart is a recorded gap on every sequenced book (6 of them).
    assert.ok(r.recorded_gaps >= 2 * 6, why);
    assert.ok(r.books.length === 14 && r.books.every((b) => b.deltas > 0), why);
    // Every book of every venue checked delta by delta against the simulator's sent-log.
    assert.equal(r.unchecked_books, 0, why);
    assert.ok(r.books.every((b) => b.checked && (b.sent ?? 0) >= b.deltas), why);
    assert.ok(r.sent_deltas! > 0, why);
    assert.equal(r.ledgers.length, 1, why);
    assert.deepEqual(r.ledgers[0]!.problems, [], why);
    assert.ok(r.ledgers[0]!.fills > 0, why);
    assert.ok(r.ok, why);
    // The full disk: the real error, a pause, a resume, the same edge process throughout.
    if (Deno.uid() === 0) {
      const d = r.disk_full;
      assert.equal(d.skipped, null, why);
      assert.equal(d.edge_survived, true, why);
      assert.ok(d.writer!.pauses >= 1 && d.writer!.resumed_after_last_pause, why);
      assert.match(d.writer!.first_error!, /disk is full/, why);
      assert.equal(d.writer!.rollback_errors, 0, why);
    } else {
      assert.match(r.disk_full.skipped!, /root/, why);
    }
    // Storage against the caps (an hour of the edge's clock rarely closes within a minute).
    assert.ok(r.storage.within_caps, why);
    assert.equal(r.storage.archive_replayed, r.storage.archive_files, why);
    // The ledger against a replay of what was stored (deno task reconcile).
    const { config } = await loadConfig(`${dir}/config.yaml`);
    const path = `${dir}/soak.db`; // copied off the tmpfs before it was unmounted
    const store = await SqliteStore.open(path, { migrate: false });
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const rec = await reconcile({ config, market: store, db, runId: r.ledgers[0]!.runId });
      assert.equal(rec.liveFills, r.ledgers[0]!.fills);
      assert.ok(rec.replayFills > 0, JSON.stringify(rec));
      assert.ok(rec.diffs.every((d) => d.cause !== undefined), JSON.stringify(rec.diffs));
    } finally {
      db.close();
      await store.close();
    }
  },
});
