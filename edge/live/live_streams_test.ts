/**
 * The live pipeline trades every configured stream in one account: against the simulator
 * (all four venues, loopback), the bundled model decides the stream it serves (Binance.US
 * BTC/USDT) and the configured baseline, visibly, every other stream.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { loadConfig } from "../../infra/config/load_config.ts";
import { BUNDLED_MODEL } from "../../infra/bundled_data.ts";
import { configForSimulator } from "../harvest/harvest_command.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import type { Config } from "../../core/config.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { type LiveSummary, runLive } from "./live_pipeline.ts";
import { reconcile } from "./reconcile.ts";
import { liveModels } from "./live_models.ts";

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

/** Runs the live pipeline on the simulator until `streams` streams have decisions on record. */
async function liveOnSimulator(
  dir: string,
  o: { useModel: boolean; streams: number; fills?: number; lines: string[] },
): Promise<{ summary: LiveSummary; config: Config }> {
  const store = `${dir}/live.db`;
  const sim = await ExchangeSimulator.start({ speed: 10, source: "recorded" });
  let stop!: () => void;
  const stopped = new Promise<void>((r) => stop = r);
  // Stop once enough streams have decisions on record (bounded: ~60 s at most).
  const poll = (async () => {
    const done = () =>
      decidedStreams(store).length >= o.streams && fillCount(store) >= (o.fills ?? 0);
    for (let i = 0; i < 120 && !done(); i++) {
      await new Promise((r) => setTimeout(r, 500));
    }
    stop();
  })();
  try {
    const base = configForSimulator((await loadConfig(`${ROOT}config.yaml`)).config, sim);
    const config: Config = {
      ...base,
      storage: { ...base.storage, backend: "sqlite", sqlite_path: store },
      model: { ...base.model, registry_dir: `${dir}/registry` },
    };
    sim.run();
    const summary = await runLive({
      config,
      secrets: {},
      configPath: `${ROOT}config.yaml`,
      useModel: o.useModel,
      ...(o.useModel ? { modelDir: BUNDLED_MODEL } : {}),
      newRun: true,
      metadata: {},
      news: "off",
      publish: false,
      stop: stopped,
      log: (l) => o.lines.push(l),
    });
    return { summary, config };
  } finally {
    stop();
    await poll;
    await sim.stop();
  }
}

/** Paper fills on record (0 while the store is not there yet). */
function fillCount(path: string): number {
  try {
    const db = new DatabaseSync(path, { readOnly: true, timeout: 5_000 });
    try {
      return (db.prepare("SELECT COUNT(*) AS n FROM paper_fills").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
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
    const lines: string[] = [];
    try {
      const { summary, config } = await liveOnSimulator(dir, {
        useModel: true,
        streams: 3,
        fills: 2,
        lines,
      });
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
      // The run records its model; reconcile replays with that package and compares the fills.
      const version = JSON.parse(await Deno.readTextFile(`${BUNDLED_MODEL}/manifest.json`)).version;
      const market = await SqliteStore.open(store, { migrate: false });
      const rdb = new DatabaseSync(store, { readOnly: true });
      try {
        assert.deepEqual(liveModels(rdb, summary.run_id).map((m) => m.version), [version]);
        const rec = await reconcile({ config, market, db: rdb, runId: summary.run_id });
        assert.equal(rec.strategy, "model");
        assert.equal(rec.modelVersion, version);
        assert.ok(rec.events > 0);
        assert.equal(rec.liveFills, summary.fills);
        assert.equal(rec.same + rec.diffs.filter((d) => d.live).length, rec.liveFills);
        assert.ok(rec.diffs.every((d) => d.cause !== undefined), JSON.stringify(rec.diffs));
      } finally {
        rdb.close();
        await market.close();
      }
      // The account is one: the summary's account and per-stream rows are from the same report.
      assert.ok(summary.account.equity > 0);
      assert.equal(summary.decisions, summary.streams.reduce((a, s) => a + s.decisions, 0));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "live pipeline: a baseline run over every stream reconciles stream by stream",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tickerml-live-reconcile-" });
    const store = `${dir}/live.db`;
    const lines: string[] = [];
    try {
      const { summary, config } = await liveOnSimulator(dir, {
        useModel: false,
        streams: 4,
        fills: 2,
        lines,
      });
      assert.equal(summary.strategy, "imbalance");
      assert.equal(decidedStreams(store).length, 4, lines.join("\n").slice(-1500));
      const market = await SqliteStore.open(store, { migrate: false });
      const db = new DatabaseSync(store, { readOnly: true });
      try {
        const rec = await reconcile({ config, market, db, runId: summary.run_id });
        assert.ok(rec.events > 0);
        assert.equal(rec.liveFills, summary.fills);
        assert.ok(rec.liveFills > 0 && rec.replayFills > 0, JSON.stringify(rec));
        assert.ok(rec.same > 0, JSON.stringify(rec));
        assert.ok(rec.diffs.every((d) => d.cause !== undefined), JSON.stringify(rec.diffs));
        // Compared within a stream only: a pair never joins fills of two streams.
        for (const d of rec.diffs) {
          if (d.live && d.replay) assert.equal(d.live.stream, d.replay.stream);
        }
      } finally {
        db.close();
        await market.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
