import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { seededRandom } from "../../core/random.ts";

const root = new URL("../../", import.meta.url);
const FILES = [
  "testdata/binance-spot/btcusdt_20240808.gz",
  "testdata/binance-spot/btcusdt_20240809.gz",
].map((f) => new URL(f, root).pathname);
const TRADER = new URL("../main.ts", import.meta.url).pathname;
const BACKTEST = new URL("../../trainer/main.ts", import.meta.url).pathname;
const CONFIG = new URL("config.yaml", root).pathname;

interface Run {
  code: number;
  signal: Deno.Signal | null;
  json: Record<string, unknown> | undefined;
  stderr: string;
}

async function run(script: string, args: string[], killAfterMs?: number): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, script === TRADER ? "trade" : "backtest", ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (killAfterMs !== undefined) {
    timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
    }, killAfterMs);
  }
  const out = await child.output();
  clearTimeout(timer);
  const text = new TextDecoder().decode(out.stdout).trim();
  return {
    code: out.code,
    signal: out.signal,
    json: out.success && text.startsWith("{") ? JSON.parse(text) : undefined,
    stderr: new TextDecoder().decode(out.stderr),
  };
}

const trade = (store: string, extra: string[] = [], files = FILES) => [
  "--replay",
  ...files,
  "--store",
  store,
  "--strategy",
  "imbalance",
  "--config",
  CONFIG,
  "--json",
  ...extra,
];

Deno.test("parity: the paper trader and the backtester give identical fills at zero latency", async () => {
  for (const strategy of ["imbalance", "momentum"]) {
    const t = await run(TRADER, [
      "--replay",
      ...FILES,
      "--strategy",
      strategy,
      "--config",
      CONFIG,
      "--latency-ms",
      "0",
      "--json",
    ]);
    const b = await run(BACKTEST, [
      "--data",
      ...FILES,
      "--strategy",
      strategy,
      "--config",
      CONFIG,
      "--json",
      "--html",
      "none",
    ]);
    assert.equal(t.code, 0, t.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.ok((t.json?.fills as number) > 0, `${strategy} traded`);
    assert.equal(t.json?.fingerprint, b.json?.fingerprint, strategy);
  }
});

/** The decisions are self-describing experience records (trading schemas v3 and v4). */
function experienceRecordsAreComplete(path: string): void {
  const db = new DatabaseSync(path, { readOnly: true });
  const rows = db.prepare(
    "SELECT position_fraction AS pos, horizon_ms AS h, position_cap AS cap, outcome_bps AS o, order_id FROM paper_decisions",
  ).all() as {
    pos: number | null;
    h: number | null;
    cap: number | null;
    o: number | null;
    order_id: string | null;
  }[];
  db.close();
  assert.ok(rows.every((r) => r.h === 60_000), "every record states its outcome horizon");
  assert.ok(rows.every((r) => r.cap === 0.25), "and the sizing cap (config.yaml)");
  assert.ok(
    rows.every((r) => r.pos !== null && r.pos >= 0 && r.pos <= 0.26),
    "every record has the position fraction before the decision, within the 25 % cap",
  );
  const after = rows.findIndex((r) => r.order_id !== null);
  assert.ok(after >= 0, "the strategy sent orders");
  assert.ok(rows.slice(after + 1).some((r) => (r.pos as number) > 0), "positions are recorded");
  assert.ok(rows.filter((r) => r.o !== null).length > rows.length / 2, "outcomes are settled");
}

function ledgerSums(
  path: string,
): { sums: Record<string, bigint>; balances: Record<string, bigint> } {
  const db = new DatabaseSync(path);
  const sums: Record<string, bigint> = {};
  for (
    const r of db.prepare("SELECT venue, asset, delta FROM paper_ledger").all() as Record<
      string,
      string
    >[]
  ) {
    const k = `${r.venue}:${r.asset}`;
    sums[k] = (sums[k] ?? 0n) + BigInt(r.delta as string);
  }
  const balances: Record<string, bigint> = {};
  for (
    const r of db.prepare("SELECT venue, asset, amount FROM paper_balances").all() as Record<
      string,
      string
    >[]
  ) {
    balances[`${r.venue}:${r.asset}`] = BigInt(r.amount as string);
  }
  db.close();
  return { sums, balances };
}

Deno.test({
  name: "crash safety: 20 SIGKILLs at random points, then a restart, equal an uninterrupted run",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const one = [FILES[0] as string]; // the first 5 minutes keep the test short
      const ref = await run(TRADER, trade(`${dir}/ref.db`, [], one));
      assert.equal(ref.code, 0, ref.stderr);
      const decisions = (ref.json?.counts as Record<string, number>).paper_decisions as number;
      assert.ok(decisions > 200, `the run commits often (${decisions} decisions)`);
      experienceRecordsAreComplete(`${dir}/ref.db`);
      const rand = seededRandom(2024);
      let killed = 0;
      for (let i = 0; i < 20; i++) {
        // First 10: the process SIGKILLs itself after 1..15 commits past its restart point
        // (together fewer than the run has, so each dies mid-run). Last 10: an external
        // SIGKILL at a random time, which may land inside a transaction, or after the end.
        const crash = `${dir}/crash.db`;
        const r = i < 10
          ? await run(
            TRADER,
            trade(crash, ["--fault-kill-after", String(1 + Math.floor(rand() * 15))], one),
          )
          : await run(TRADER, trade(crash, [], one), 100 + Math.floor(rand() * 700));
        if (r.signal === "SIGKILL") killed++;
        else assert.equal(r.code, 0, r.stderr);
        if (i < 10) assert.equal(r.signal, "SIGKILL", `self-kill ${i} happened mid-run`);
      }
      const final = await run(TRADER, trade(`${dir}/crash.db`, [], one));
      assert.equal(final.code, 0, final.stderr);
      assert.ok((final.json?.resumed_from as number) > 0, "the final run resumed a stored run");
      for (const k of ["fingerprint", "ledger_digest", "fills", "events", "balances"]) {
        assert.deepEqual(final.json?.[k], ref.json?.[k], k);
      }
      assert.deepEqual(final.json?.counts, ref.json?.counts, "no row lost or written twice");
      const { sums, balances } = ledgerSums(`${dir}/crash.db`);
      assert.deepEqual(sums, balances, "the ledger entries add up to the balances");
      console.log(`crash test: ${killed} of 20 runs were killed mid-run`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a store whose state cannot be reproduced refuses to resume", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const killed = await run(TRADER, trade(`${dir}/s.db`, ["--fault-kill-after", "5"]));
    assert.equal(killed.signal, "SIGKILL");
    const db = new DatabaseSync(`${dir}/s.db`);
    db.prepare("UPDATE paper_balances SET amount = '1' WHERE asset = 'USDT'").run();
    db.close();
    const r = await run(TRADER, trade(`${dir}/s.db`));
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /Cannot resume the paper trader: state rebuilt from \d+ events differs from the store/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--continue-from carries the account of a finished run into the next session", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Session 1 trades the first file; session 2 (both files: the second has no snapshot of
    // its own) continues session 1's account.
    const args = (store: string, runId: string, files: string[], extra: string[] = []) => [
      "--replay",
      ...files,
      "--store",
      store,
      "--strategy",
      "buy-and-hold",
      "--config",
      CONFIG,
      "--json",
      "--run-id",
      runId,
      ...extra,
    ];
    const one = [FILES[0] as string];
    const a = await run(TRADER, args(`${dir}/s.db`, "s1", one));
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.json?.fills, 1, "session 1 bought");
    const b = await run(TRADER, args(`${dir}/s.db`, "s2", FILES, ["--continue-from", "s1"]));
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.json?.fills, 0, "session 2 holds what session 1 bought: no second buy");
    assert.deepEqual(b.json?.balances, a.json?.balances, "the account carried over unchanged");
    // A crash in the continued session resumes to the same result.
    assert.equal((await run(TRADER, args(`${dir}/c.db`, "s1", one))).code, 0);
    const crash = await run(
      TRADER,
      args(`${dir}/c.db`, "s2", FILES, ["--continue-from", "s1", "--fault-kill-after", "30"]),
    );
    assert.equal(crash.signal, "SIGKILL");
    const resumed = await run(TRADER, args(`${dir}/c.db`, "s2", FILES, ["--continue-from", "s1"]));
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok((resumed.json?.resumed_from as number) > 0);
    assert.equal(resumed.json?.ledger_digest, b.json?.ledger_digest);
    assert.deepEqual(resumed.json?.counts, b.json?.counts);
    const missing = await run(TRADER, args(`${dir}/s.db`, "s3", one, ["--continue-from", "nope"]));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no finished run "nope"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a finished run replayed again reports the same summary without writing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const one = [FILES[0] as string];
    const a = await run(TRADER, trade(`${dir}/f.db`, [], one));
    const b = await run(TRADER, trade(`${dir}/f.db`, [], one));
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.json?.resumed_from, a.json?.events);
    assert.deepEqual(b.json?.report, a.json?.report);
    assert.deepEqual(b.json?.counts, a.json?.counts);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
