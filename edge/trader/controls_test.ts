import assert from "node:assert/strict";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { defaultEngineConfig } from "../../core/trading/engine/engine_config.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { type PaperTraderOptions, runPaperTrader, type TraderSummary } from "./paper_trader.ts";
import { TradingStore } from "../../infra/store/trading/trading_store.ts";

const FILE = new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url).pathname;
const BTC = defaultInstrument("binance", "BTC/USDT") as Instrument;
const SOURCE = "dashboard@127.0.0.1";

type Row = Record<string, SQLInputValue>;

/** A second connection, as the dashboard has: inserts commands and reads the trader's rows. */
class Dashboard {
  readonly db: DatabaseSync;
  constructor(path: string) {
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA busy_timeout = 5000;");
  }
  send(command: string): number {
    const r = this.db.prepare(
      "INSERT INTO control_commands (ts, command, source, status) VALUES (?, ?, ?, 'pending')",
    ).run(Date.now(), command, SOURCE);
    return Number(r.lastInsertRowid);
  }
  all(sql: string, ...args: SQLInputValue[]): Row[] {
    return this.db.prepare(sql).all(...args) as Row[];
  }
  one(sql: string, ...args: SQLInputValue[]): Row {
    return this.db.prepare(sql).get(...args) as Row;
  }
  command(id: number): Row {
    return this.one("SELECT * FROM control_commands WHERE id = ?", id);
  }
  control(command: string): Row {
    return this.one("SELECT * FROM paper_controls WHERE command = ? ORDER BY n LIMIT 1", command);
  }
}

async function trade(
  strategy: string,
  step: (d: Dashboard) => void,
  extra: Partial<PaperTraderOptions> = {},
): Promise<{ summary: TraderSummary; d: Dashboard; dir: string }> {
  const dir = await Deno.makeTempDir();
  const store = await TradingStore.open(`${dir}/t.db`);
  const d = new Dashboard(`${dir}/t.db`);
  try {
    const summary = await runPaperTrader({
      files: [FILE],
      config: defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
      strategy: baselineStrategy(strategy),
      store,
      controlPollMs: 0,
      afterCommit: () => step(d),
      ...extra,
    });
    return { summary, d, dir };
  } finally {
    await store.close();
  }
}

async function cleanup(r: { d: Dashboard; dir: string }): Promise<void> {
  r.d.db.close();
  await Deno.remove(r.dir, { recursive: true });
}

const count = (d: Dashboard, sql: string, ...args: SQLInputValue[]) =>
  Number(Object.values(d.one(sql, ...args))[0]);

Deno.test("pause_entries blocks entries and lets exits through; resume allows entries again", async () => {
  const ids: Record<string, number> = {};
  let pausedRisk = "";
  const r = await trade("imbalance", (d) => {
    if (ids.pause === undefined) {
      if (count(d, "SELECT COUNT(*) FROM paper_fills WHERE side = 'buy'") > 0) {
        ids.pause = d.send("pause_entries");
      }
    } else if (ids.resume === undefined && d.command(ids.pause).status === "applied") {
      pausedRisk ||= String(d.one("SELECT risk FROM paper_runs").risk);
      const at = Number(d.control("pause_entries").time);
      const sold = count(
        d,
        "SELECT COUNT(*) FROM paper_fills WHERE side = 'sell' AND time > ?",
        at,
      );
      const refused = count(
        d,
        "SELECT COUNT(*) FROM paper_decisions WHERE rejected LIKE 'entries blocked: entries paused%'",
      );
      if (sold > 0 && refused > 0) ids.resume = d.send("resume");
    }
  });
  try {
    const { d } = r;
    const pause = d.command(ids.pause as number);
    assert.equal(pause.status, "applied");
    assert.match(String(pause.detail), /entries paused; exits still allowed; state REDUCING/);
    assert.ok(Number(pause.handled_at) >= Number(pause.ts));
    assert.match(JSON.parse(pausedRisk).paused, /entries paused by dashboard@127\.0\.0\.1/);
    const from = Number(d.control("pause_entries").time);
    const to = Number(d.control("resume").time);
    assert.equal(d.command(ids.resume as number).status, "applied");
    const window = d.all("SELECT side FROM paper_fills WHERE time > ? AND time <= ?", from, to);
    assert.ok(window.length > 0 && window.every((f) => f.side === "sell"), "only exits");
    assert.ok(
      count(
        d,
        "SELECT COUNT(*) FROM paper_decisions WHERE time > ? AND time <= ? AND rejected LIKE 'entries blocked: entries paused%'",
        from,
        to,
      ) > 0,
      "the strategy's entries were refused",
    );
    assert.ok(count(d, "SELECT COUNT(*) FROM paper_fills WHERE side = 'buy' AND time > ?", to) > 0);
    const events = d.all("SELECT detail FROM paper_risk_events WHERE kind = 'state'")
      .map((e) => JSON.parse(String(e.detail)));
    assert.ok(events.some((e) => e.state === "REDUCING" && /entries paused by/.test(e.reason)));
    assert.ok(events.some((e) => e.state === "ACTIVE" && /entries resumed by/.test(e.reason)));
    assert.equal(JSON.parse(String(d.one("SELECT risk FROM paper_runs").risk)).paused, null);
  } finally {
    await cleanup(r);
  }
});

Deno.test("flatten_all sells the position through the store; kill_switch halts the run", async () => {
  let id: number | undefined;
  const flat = await trade("buy-and-hold", (d) => {
    if (id === undefined && count(d, "SELECT COUNT(*) FROM paper_fills") > 0) {
      d.send("pause_entries"); // else buy-and-hold buys again once flat
      id = d.send("flatten_all");
    }
  });
  try {
    const row = flat.d.command(id as number);
    assert.equal(row.status, "applied");
    assert.match(String(row.detail), /flatten all: 0 open order\(s\) cancelled; binance:BTC\/USDT/);
    const fills = flat.d.all("SELECT side, tag, size FROM paper_fills ORDER BY seq");
    assert.deepEqual(fills.map((f) => [f.side, f.tag]), [["buy", "strategy"], [
      "sell",
      "flatten_all",
    ]]);
    assert.equal(fills[1]?.size, fills[0]?.size);
    assert.equal(count(flat.d, "SELECT COALESCE(SUM(qty), 0) FROM paper_positions"), 0);
  } finally {
    await cleanup(flat);
  }
  let kill: number | undefined;
  const killed = await trade("imbalance", (d) => {
    if (kill === undefined && count(d, "SELECT COUNT(*) FROM paper_fills WHERE side = 'buy'") > 0) {
      kill = d.send("kill_switch");
    }
  });
  try {
    const { d } = killed;
    assert.equal(d.command(kill as number).status, "applied");
    assert.match(String(d.command(kill as number).detail), /kill switch engaged, HALTED/);
    assert.equal(killed.summary.report.risk_state, "HALTED");
    const risk = JSON.parse(String(d.one("SELECT risk FROM paper_runs").risk));
    assert.equal(risk.kill, `kill switch: by ${SOURCE}`);
    const at = Number(d.control("kill_switch").time);
    const after = d.all(
      "SELECT tag FROM paper_fills WHERE seq >= (SELECT MIN(seq) FROM paper_fills WHERE tag = 'kill_switch')",
    );
    assert.ok(after.length > 0 && after.every((f) => f.tag === "kill_switch"), "only the flatten");
    assert.equal(
      count(d, "SELECT COUNT(*) FROM paper_orders WHERE submit_time > ?", at),
      0,
      "no order after the kill",
    );
    assert.equal(count(d, "SELECT COALESCE(SUM(qty), 0) FROM paper_positions"), 0);
    assert.ok(
      count(
        d,
        "SELECT COUNT(*) FROM paper_decisions WHERE time > ? AND rejected LIKE 'trading halted%'",
        at,
      ) > 0,
    );
  } finally {
    await cleanup(killed);
  }
});

Deno.test("reload_model: no model host, a host's detail, a failing host", async () => {
  for (
    const [hook, status, detail] of [
      [undefined, "applied", /^no model strategy loaded$/],
      [() => Promise.resolve("model v2 loaded"), "applied", /^model v2 loaded$/],
      [
        () => {
          throw new Error("no such file");
        },
        "rejected",
        /^model reload failed: no such file$/,
      ],
    ] as const
  ) {
    let id: number | undefined;
    const r = await trade("flat", (d) => void (id ??= d.send("reload_model")), {
      ...(hook ? { onReloadModel: hook } : {}),
    });
    try {
      const row = r.d.command(id as number);
      assert.equal(row.status, status);
      assert.match(String(row.detail), detail);
      assert.equal(count(r.d, "SELECT COUNT(*) FROM paper_controls"), 1);
    } finally {
      await cleanup(r);
    }
  }
});

Deno.test("unknown commands are rejected with a reason; without a running trader rows stay pending", async () => {
  let ids: number[] = [];
  const r = await trade("flat", (d) => {
    if (ids.length > 0) return;
    // The table's CHECK refuses unknown names; a hand-edited or foreign store may not.
    d.db.exec("PRAGMA ignore_check_constraints = ON");
    ids = [d.send("sell_everything"), d.send("pause_entries")];
    d.db.exec("PRAGMA ignore_check_constraints = OFF");
  });
  try {
    const bad = r.d.command(ids[0] as number);
    assert.equal(bad.status, "rejected");
    assert.match(String(bad.detail), /unknown command "sell_everything": expected one of/);
    assert.equal(r.d.command(ids[1] as number).status, "applied", "the next one still applies");
    // The run has finished: nothing consumes commands any more.
    const late = r.d.send("kill_switch");
    const store = await TradingStore.open(`${r.dir}/t.db`);
    try {
      // Re-running the finished run replays it without polling.
      const again = await runPaperTrader({
        files: [FILE],
        config: defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
        strategy: baselineStrategy("flat"),
        store,
        controlPollMs: 0,
      });
      assert.equal(again.resumed_from, r.summary.events);
    } finally {
      await store.close();
    }
    const row = r.d.command(late);
    assert.equal(row.status, "pending");
    assert.equal(row.handled_at, null);
  } finally {
    await cleanup(r);
  }
});

Deno.test("a live feed applies commands from its timer while no event arrives; a restart keeps them", async () => {
  const events: MarketEvent[] = [];
  await replayBinanceRecording([FILE], { sink: { onEvent: (e) => void events.push(e) } });
  const dir = await Deno.makeTempDir();
  const d = new Dashboard(`${dir}/t.db`);
  let seen = 0;
  let id = 0;
  async function* feed(): AsyncGenerator<MarketEvent> {
    for (const [i, e] of events.entries()) {
      seen = e.receiveTime;
      yield e;
      if (i !== 3_000) continue;
      id = d.send("kill_switch"); // the feed goes quiet until the timer has handled it
      for (let n = 0; n < 500 && d.command(id).status === "pending"; n++) await delay(10);
    }
  }
  const opts = {
    files: [FILE],
    config: defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
    strategy: baselineStrategy("buy-and-hold"),
    runId: "live",
    clock: () => seen,
    tickMs: 10,
    controlPollMs: 0,
  };
  try {
    let store = await TradingStore.open(`${dir}/t.db`);
    const a = await runPaperTrader({ ...opts, store, feed: feed() });
    await store.close();
    assert.equal(d.command(id).status, "applied");
    assert.equal(Number(d.control("kill_switch").cursor), 3_001, "applied while the feed waited");
    assert.equal(a.report.risk_state, "HALTED");
    assert.equal(a.fills, 2, "bought, then the kill switch sold");
    assert.equal(a.balances["binance:BTC"], "0");
    store = await TradingStore.open(`${dir}/t.db`);
    seen = 0;
    const b = await runPaperTrader({ ...opts, store, feed: feedOf(events) });
    await store.close();
    assert.equal(b.report.risk_state, "HALTED", "restored from the stored risk state");
    assert.equal(b.fills, 0);
    assert.equal(count(d, "SELECT COUNT(*) FROM paper_controls"), 1, "not applied again");
  } finally {
    d.db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* feedOf(list: readonly MarketEvent[]): AsyncGenerator<MarketEvent> {
  yield* list;
}
