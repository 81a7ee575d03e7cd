import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { defaultEngineConfig } from "../../core/trading/engine/engine_config.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { runPaperTrader } from "./paper_trader.ts";
import { TradingStore } from "../../infra/store/trading/trading_store.ts";

const FILE = new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url).pathname;
const BTC = defaultInstrument("binance", "BTC/USDT") as Instrument;
const events: MarketEvent[] = [];
await replayBinanceRecording([FILE], { sink: { onEvent: (e) => void events.push(e) } });

let seen = 0;
async function* feed(list: readonly MarketEvent[]): AsyncGenerator<MarketEvent> {
  for (const e of list) {
    seen = e.receiveTime;
    yield e;
  }
}

/** The store, with its first `n` commits refused as SQLite refuses them on a full disk. */
function fullFor(
  store: TradingStore,
  n: number,
  message = "database or disk is full",
): TradingStore {
  let left = n;
  return new Proxy(store, {
    get(target, key) {
      if (key === "commit") {
        return (...args: Parameters<TradingStore["commit"]>) => {
          if (left-- > 0) throw new Error(message);
          return target.commit(...args);
        };
      }
      const v = Reflect.get(target, key);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

Deno.test("live paper trader on a full disk: waits and retries the same commit, then ledger and fills as without the fault", async () => {
  const run = async (refused: number, message?: string) => {
    const store = await TradingStore.open(":memory:");
    const lines: string[] = [];
    try {
      const r = await runPaperTrader({
        files: [FILE],
        feed: feed(events),
        clock: () => seen,
        config: defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
        strategy: baselineStrategy("buy-and-hold"),
        store: fullFor(store, refused, message),
        runId: "live",
        onStoreFull: (l) => lines.push(l),
      });
      return { r, counts: store.counts("live"), lines };
    } finally {
      await store.close();
    }
  };
  const clean = await run(0);
  const full = await run(2);
  assert.equal(clean.lines.length, 0);
  assert.equal(full.lines.length, 2, full.lines.join("\n"));
  assert.match(full.lines[0]!, /store write failed: database or disk is full; trading waits/);
  assert.match(full.lines[1]!, /store writable again/);
  assert.equal(full.r.fingerprint, clean.r.fingerprint);
  assert.deepEqual(full.r.balances, clean.r.balances);
  assert.deepEqual(full.counts, clean.counts);
  // SQLite reports some full-disk writes as "disk I/O error" (the WAL index on a full tmpfs).
  const io = await run(1, "disk I/O error");
  assert.match(io.lines[0]!, /store write failed: disk I\/O error; trading waits/);
  assert.equal(io.r.fingerprint, clean.r.fingerprint);
});

Deno.test("a step the store rolls back inside its transaction is written whole when retried (no lost ledger rows, no risk-event number used twice)", async () => {
  const dir = await Deno.makeTempDir();
  const run = async (fault: boolean) => {
    const path = `${dir}/${fault ? "fault" : "clean"}.db`;
    const store = await TradingStore.open(path);
    const side = new DatabaseSync(path);
    const lines: string[] = [];
    // From the 2,000th event the next step with a fill fails at its last write, inside the step's
    // transaction (as a full disk fails a late write): its fills and ledger rows roll back with it.
    async function* faulty(list: readonly MarketEvent[]): AsyncGenerator<MarketEvent> {
      let i = 0;
      for (const e of list) {
        if (fault && ++i === 2_000) {
          side.exec(
            "CREATE TRIGGER full BEFORE UPDATE ON paper_runs WHEN NEW.fill_seq > OLD.fill_seq BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
          );
        }
        seen = e.receiveTime;
        yield e;
      }
    }
    try {
      const r = await runPaperTrader({
        files: [FILE],
        feed: faulty(events),
        clock: () => seen,
        config: defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
        strategy: baselineStrategy("momentum"),
        store,
        runId: "live",
        onStoreFull: (l) => {
          lines.push(l);
          side.exec("DROP TRIGGER IF EXISTS full"); // space again: the next retry commits
        },
      });
      const ledger = side.prepare("SELECT seq FROM paper_ledger WHERE run_id = 'live' ORDER BY seq")
        .all().map((x) => Number(x.seq));
      return { r, counts: store.counts("live"), lines, ledger };
    } finally {
      side.close();
      await store.close();
    }
  };
  const clean = await run(false);
  const full = await run(true);
  await Deno.remove(dir, { recursive: true });
  assert.equal(full.lines.length, 2, full.lines.join("\n"));
  assert.equal(full.r.fingerprint, clean.r.fingerprint);
  assert.deepEqual(full.counts, clean.counts);
  assert.deepEqual(full.ledger, clean.ledger);
  assert.deepEqual(full.ledger, full.ledger.map((_, i) => i + 1), "ledger rows 1..n, no gap");
});
