/**
 * `start` as systemd runs it, against the simulator in its own process: SIGKILLed while it
 * harvests and trades, then restarted on the same store. Nothing committed is lost, the same
 * paper run continues from its cursor with its position and ledger, the kill and the downtime
 * are on record, a second writer is refused meanwhile, and `--new-run` opens a new account.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { writeLiveConfig } from "../soak/live_config.ts";
import { startSimProcess } from "../soak/sim_process.ts";
import { LIVE_V8_FLAGS } from "./v8_flags.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function edge(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", LIVE_V8_FLAGS, "edge/main.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

type Row = Record<string, number | string | null>;
function query(path: string, sql: string): Row[] {
  const db = new DatabaseSync(path, { readOnly: true, timeout: 5_000 });
  try {
    return db.prepare(sql).all() as Row[];
  } finally {
    db.close();
  }
}
const count = (path: string, table: string) =>
  Number(query(path, `SELECT COUNT(*) AS n FROM ${table}`)[0]!.n);

/** Polls (1 s) until `ok` holds; fails after `tries` polls with `what`. */
async function until(ok: () => boolean, tries: number, what: string): Promise<void> {
  for (let i = 0; i < tries; i++) {
    try {
      if (ok()) return;
    } catch { /* store not created yet */ }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`gave up waiting: ${what}`);
}

Deno.test({
  name: "start survives SIGKILL: same run continues with its position, nothing stored is lost",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tickerml-restart-" });
    const store = `${dir}/live.db`;
    const sim = await startSimProcess(["--speed", "10", "--seed", "7"]);
    try {
      const config = await writeLiveConfig({
        path: `${dir}/config.yaml`,
        urls: sim.urls,
        storePath: store,
        registryDir: `${dir}/registry`,
        logDir: `${dir}/logs`,
        strategy: "buy-and-hold",
      });
      const first = edge(["start", "--config", config, "--no-news", "--json"]);
      await until(
        () =>
          count(store, "paper_fills") > 0 && count(store, "book_deltas") > 2_000 &&
          Number(query(store, "SELECT MAX(cursor) AS c FROM paper_runs")[0]!.c) > 2_000,
        60,
        "the first process to trade and store deltas",
      );
      // A second writer on the same store is refused at once, naming the holder.
      const second = await edge(["harvest", "--config", config, "--duration", "30"]).output();
      assert.equal(second.code, 1);
      assert.match(new TextDecoder().decode(second.stderr), new RegExp(`pid ${first.pid}`));

      first.kill("SIGKILL");
      await first.output();
      const run = query(store, "SELECT run_id, cursor FROM paper_runs")[0]!;
      const before = {
        deltas: count(store, "book_deltas"),
        trades: count(store, "trades"),
        fills: count(store, "paper_fills"),
        ledger: count(store, "paper_ledger"),
        position: query(store, "SELECT venue, symbol, qty, cost FROM paper_positions"),
        balances: query(store, "SELECT venue, asset, amount FROM paper_balances ORDER BY 1, 2"),
      };
      assert.ok(before.fills > 0 && before.position.length > 0);

      const again = await edge([
        "start",
        "--config",
        config,
        "--no-news",
        "--duration",
        "8",
        "--json",
      ])
        .output();
      const err = new TextDecoder().decode(again.stderr);
      assert.equal(again.code, 0, err.slice(-2000));
      assert.match(err, /continuing paper run .* previous process was killed or crashed/);
      const s = JSON.parse(new TextDecoder().decode(again.stdout).trim().split("\n").at(-1)!);
      assert.equal(s.run_id, run.run_id);
      assert.equal(s.resumed, true);
      assert.equal(s.previous_clean_stop, false);
      assert.equal(s.resumed_from, Number(run.cursor));
      assert.ok(s.events > 0);
      // Nothing committed before the kill is gone; the account continued instead of restarting.
      assert.ok(count(store, "book_deltas") > before.deltas);
      assert.ok(count(store, "trades") >= before.trades);
      assert.equal(count(store, "paper_fills"), before.fills); // buy-and-hold bought once
      assert.ok(count(store, "paper_ledger") >= before.ledger);
      assert.deepEqual(
        query(store, "SELECT venue, symbol, qty, cost FROM paper_positions"),
        before.position,
      );
      assert.deepEqual(
        query(store, "SELECT venue, asset, amount FROM paper_balances ORDER BY 1, 2"),
        before.balances,
      );
      const gap = query(
        store,
        `SELECT detail FROM paper_risk_events WHERE run_id = '${run.run_id}' AND detail LIKE '%downtime gap of%'`,
      );
      assert.equal(gap.length, 1, JSON.stringify(gap));
      const sessions = query(store, "SELECT pid, ended_at FROM live_sessions ORDER BY id");
      assert.equal(sessions.length, 2);
      assert.equal(sessions[0]!.pid, first.pid);
      assert.equal(sessions[0]!.ended_at, null);
      assert.notEqual(sessions[1]!.ended_at, null);

      // --new-run: a fresh account; the old run stays in the store.
      const fresh = await edge([
        "start",
        "--config",
        config,
        "--no-news",
        "--new-run",
        "--duration",
        "3",
        "--json",
      ]).output();
      const f = JSON.parse(new TextDecoder().decode(fresh.stdout).trim().split("\n").at(-1)!);
      assert.notEqual(f.run_id, run.run_id);
      assert.equal(f.resumed, false);
      assert.equal(count(store, "paper_runs"), 2);
      assert.ok(count(store, "book_deltas") > before.deltas);
    } finally {
      await sim.stop();
    }
  },
});
