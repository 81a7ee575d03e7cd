/**
 * The live pipeline trades every configured stream in one account: against the simulator
 * (all four venues, loopback), the bundled model decides the stream it serves (Binance.US
 * BTC/USDT) and the configured baseline, visibly, every other stream.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { loadConfig } from "../config/load_config.ts";
import { BUNDLED_MODEL } from "../cli/demo_command.ts";
import { configForSimulator } from "../harvest/harvest_command.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import { runLive } from "./live_pipeline.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Distinct streams with decisions in paper_decisions (0 while the store is not there yet). */
function decidedStreams(path: string): string[] {
  try {
    const db = new DatabaseSync(path, { readOnly: true, timeout: 5_000 });
    try {
      return (db.prepare(
        "SELECT DISTINCT venue || ':' || symbol AS s FROM paper_decisions ORDER BY s",
      ).all() as { s: string }[]).map((r) => r.s);
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

Deno.test({
  name:
    "live pipeline: four streams in one account, the model where it serves, the baseline visibly elsewhere",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tickerml-live-streams-" });
    const store = `${dir}/live.db`;
    const sim = await ExchangeSimulator.start({ speed: 10, source: "recorded" });
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((r) => stop = r);
    // Stop once three streams have decisions on record (bounded: ~60 s at most).
    const poll = (async () => {
      for (let i = 0; i < 120 && decidedStreams(store).length < 3; i++) {
        await new Promise((r) => setTimeout(r, 500));
      }
      stop();
    })();
    try {
      const base = configForSimulator((await loadConfig(`${ROOT}config.yaml`)).config, sim);
      const config = {
        ...base,
        storage: { ...base.storage, backend: "sqlite" as const, sqlite_path: store },
        model: { ...base.model, registry_dir: `${dir}/registry` },
      };
      sim.run();
      const summary = await runLive({
        config,
        secrets: {},
        configPath: `${ROOT}config.yaml`,
        useModel: true,
        modelDir: BUNDLED_MODEL,
        newRun: true,
        metadata: {},
        news: "off",
        publish: false,
        stop: stopped,
        log: (l) => lines.push(l),
      });
      await poll;
      const log = lines.join("\n");
      // Routing: one visible line per configured stream.
      assert.match(log, /streams: binance_us BTC\/USDT: model /);
      for (const s of ["binance_us ETH/USDT", "coinbase BTC/USD", "coinbase ETH/USD"]) {
        assert.match(log, new RegExp(`streams: ${s}: baseline imbalance \\(no installed model`));
      }
      assert.equal(summary.strategy, "model");
      assert.deepEqual(
        summary.streams.map((s) => `${s.venue}:${s.symbol}`),
        ["binance_us:BTC/USDT", "binance_us:ETH/USDT", "coinbase:BTC/USD", "coinbase:ETH/USD"],
      );
      const decided = decidedStreams(store);
      assert.ok(decided.length >= 2, `decisions for ${decided.join(", ")}\n${log.slice(-1500)}`);
      assert.ok(
        decided.some((s) => s !== "binance_us:BTC/USDT"),
        `a baseline stream decided: ${decided.join(", ")}`,
      );
      // Predictions are stored per stream: only the stream the model serves has any.
      const db = new DatabaseSync(store, { readOnly: true });
      const predicted = (db.prepare(
        "SELECT DISTINCT venue || ':' || symbol AS s FROM predictions",
      ).all() as { s: string }[]).map((r) => r.s);
      db.close();
      assert.ok(predicted.every((s) => s === "binance_us:BTC/USDT"), predicted.join(", "));
      // The account is one: the summary's account and per-stream rows are from the same report.
      assert.ok(summary.account.equity > 0);
      assert.equal(summary.decisions, summary.streams.reduce((a, s) => a + s.decisions, 0));
    } finally {
      stop();
      await poll;
      await sim.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
