/**
 * Parity through the simulator: the paper trader fed live by the real Binance.US adapter from
 * the loopback simulator, and the backtester replaying exactly the events it consumed (written
 * back from the store with `export-recording`), give identical fills at zero latency.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { parseConfig } from "../../core/config.ts";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { engineConfigFromConfig } from "../../core/trading/engine/engine_config.ts";
import { fixedLatency } from "../../core/trading/exchange/latency.ts";
import { memoryOutput } from "../../infra/cli/output.ts";
import { AsyncQueue } from "../live/async_queue.ts";
import { configForSimulator } from "../harvest/harvest_command.ts";
import { Harvester } from "../harvest/harvester.ts";
import { main } from "../main.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { runPaperTrader } from "./paper_trader.ts";

Deno.test({
  name:
    "paper trader live through the simulator and the backtester on its events give identical fills",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const root = new URL("../../", import.meta.url).pathname;
    const dir = await Deno.makeTempDir({ prefix: "tickerml-sim-parity-" });
    const config0 = parseConfig(
      parse(await Deno.readTextFile(`${root}config.yaml`)),
      "config.yaml",
    );
    const sim = await ExchangeSimulator.start({
      venues: ["binance_us"],
      symbols: ["BTC/USDT"],
      source: "recorded",
      speed: 20,
    });
    const base = configForSimulator(config0, sim);
    const config = {
      ...base,
      exchanges: {
        binance_us: { ...base.exchanges.binance_us!, symbols: { "BTC/USDT": "BTCUSDT" } },
      },
    };
    const store = await SqliteStore.open(`${dir}/live.db`);
    const feed = new AsyncQueue<MarketEvent>();
    const harvester = new Harvester({
      config,
      store,
      healthIntervalMs: 60_000,
      onEvent: (e) => feed.push(e),
    });
    const inst = defaultInstrument("binance_us", "BTC/USDT")!;
    sim.run();
    await harvester.start();
    const trader = runPaperTrader({
      files: [],
      feed,
      config: {
        ...engineConfigFromConfig(config0, [inst], (b) => new BinanceBookSync(b)),
        latency: fixedLatency(0),
        keepDecisions: false,
      },
      strategy: baselineStrategy("imbalance", {
        intervalMs: config0.trading.decision_interval_s * 1000,
      }),
      tickMs: 3_600_000, // no wall-clock ticks: time comes from the events, as in a backtest
    });
    await new Promise((r) => setTimeout(r, 25_000));
    await harvester.stop();
    await sim.stop();
    feed.close();
    const live = await trader;
    await store.close();
    assert.ok(live.events > 1_000, `live events ${live.events}`);
    assert.ok(live.fills > 0, "the live run traded nothing: parity would be trivial");

    const out = memoryOutput();
    const args = ["--store", `${dir}/live.db`, "--venue", "binance_us", "--symbol", "BTC/USDT"];
    assert.equal(await main(["export-recording", ...args, "--out", `${dir}/live.gz`], out), 0);
    const bt = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${root}trainer/main.ts`,
        "backtest",
        "--data",
        `${dir}/live.gz`,
        "--venue",
        "binance_us",
        "--strategy",
        "imbalance",
        "--latency-ms",
        "0",
        "--config",
        `${root}config.yaml`,
        "--html",
        "none",
        "--json",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(bt.code, 0, new TextDecoder().decode(bt.stderr));
    const report = JSON.parse(new TextDecoder().decode(bt.stdout));
    assert.equal(report.events, live.events);
    assert.equal(report.fingerprint, live.fingerprint, `live ${live.fills} fills`);
  },
});
