import assert from "node:assert/strict";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

const root = new URL("../../", import.meta.url);
const FILES = [
  "testdata/binance-spot/btcusdt_20240808.gz",
  "testdata/binance-spot/btcusdt_20240809.gz",
].map((f) => new URL(f, root).pathname);
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const CONFIG = new URL("config.yaml", root).pathname;

interface Run {
  code: number;
  signal: Deno.Signal | null;
  json: Record<string, unknown> | undefined;
  stderr: string;
}

async function trade(store: string, runId: string, strategy: string, extra: string[] = []) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "trade",
      "--replay",
      ...(runId === "s1" ? FILES.slice(0, 1) : FILES),
      "--store",
      store,
      "--strategy",
      strategy,
      "--config",
      CONFIG,
      "--run-id",
      runId,
      "--control-poll-ms",
      "0",
      "--json",
      ...extra,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  return {
    code: out.code,
    signal: out.signal,
    json: out.success ? JSON.parse(text) : undefined,
    stderr: new TextDecoder().decode(out.stderr),
  } satisfies Run;
}

function sql(path: string, query: string, ...args: SQLInputValue[]): Record<string, unknown>[] {
  const db = new DatabaseSync(path);
  try {
    return db.prepare(query).all(...args) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

Deno.test({
  name: "controls survive SIGKILL: applied once, re-applied on the replay, same final state",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      // Session s1 buys and holds; s2 (imbalance, which would trade) continues its account
      // after the dashboard paused entries and asked to flatten.
      const s1 = await trade(`${dir}/ref.db`, "s1", "buy-and-hold");
      assert.equal(s1.code, 0, s1.stderr);
      for (const c of ["pause_entries", "flatten_all"]) {
        sql(
          `${dir}/ref.db`,
          "INSERT INTO control_commands (ts, command, source) VALUES (?, ?, 'dashboard@127.0.0.1')",
          Date.now(),
          c,
        );
      }
      await Deno.copyFile(`${dir}/ref.db`, `${dir}/crash.db`);
      const s2 = ["--continue-from", "s1"];
      const ref = await trade(`${dir}/ref.db`, "s2", "imbalance", s2);
      assert.equal(ref.code, 0, ref.stderr);
      assert.equal(ref.json?.fills, 1, "the flatten sold; no entry while paused");
      const crash = `${dir}/crash.db`;
      // The first process dies right after the controls' commits, the second after the
      // flatten's fill is stored; the third resumes to the end.
      for (const k of ["3", "6"]) {
        const r = await trade(crash, "s2", "imbalance", [...s2, "--fault-kill-after", k]);
        assert.equal(r.signal, "SIGKILL", r.stderr);
      }
      assert.equal(
        sql(crash, "SELECT COUNT(*) AS n FROM paper_fills WHERE run_id = 's2'")[0]?.n,
        1,
      );
      const tampered = `${dir}/tampered.db`;
      await Deno.copyFile(crash, tampered);
      const final = await trade(crash, "s2", "imbalance", s2);
      assert.equal(final.code, 0, final.stderr);
      assert.ok((final.json?.resumed_from as number) > 0);
      assert.doesNotMatch(final.stderr, /control \d+ .* applied/, "nothing applied again");
      for (const k of ["fingerprint", "ledger_digest", "fills", "events", "balances", "counts"]) {
        assert.deepEqual(final.json?.[k], ref.json?.[k], k);
      }
      const rows = (p: string) =>
        sql(p, "SELECT id, command, status, detail FROM control_commands ORDER BY id");
      assert.deepEqual(rows(crash), rows(`${dir}/ref.db`));
      assert.deepEqual(rows(crash).map((r) => r.status), ["applied", "applied"]);
      const applied = (p: string) =>
        sql(p, "SELECT command_id, cursor, command, status FROM paper_controls ORDER BY n");
      assert.deepEqual(applied(crash), applied(`${dir}/ref.db`));
      const paused = sql(
        crash,
        "SELECT COUNT(*) AS n FROM paper_risk_events WHERE run_id = 's2' AND detail LIKE '%entries paused by%'",
      );
      assert.equal(paused[0]?.n, 1, "the pause was logged once");
      // Without its control record the stored state cannot be rebuilt: the restart refuses.
      sql(tampered, "DELETE FROM paper_controls WHERE command = 'pause_entries'");
      const refused = await trade(tampered, "s2", "imbalance", s2);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /state rebuilt from \d+ events differs from the store/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
