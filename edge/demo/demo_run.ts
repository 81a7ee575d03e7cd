import type { Config } from "../../core/config.ts";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { baselineStrategy } from "../../core/trading/baselines.ts";
import type { TradingEngine } from "../../core/trading/engine.ts";
import { engineConfigFromConfig } from "../../core/trading/engine_config.ts";
import { portfolioStateOf } from "../../core/trading/portfolio_view.ts";
import type { Strategy } from "../../core/trading/strategy.ts";
import { newsCommand } from "../cli/news_command.ts";
import { memoryOutput } from "../cli/output.ts";
import { configForSimulator } from "../harvest/harvest_command.ts";
import { Harvester } from "../harvest/harvester.ts";
import { ModelHost } from "../inference/model_host.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import { SqliteStore } from "../store/sqlite_store.ts";
import { ModelStrategy, type PredictionRecord } from "../trader/model_strategy.ts";
import { runPaperTrader, type TraderSummary } from "../trader/paper_trader.ts";
import { TradingStore } from "../trader/trading_store.ts";
import { AsyncQueue } from "./async_queue.ts";

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  /** Validated configuration (exchanges are pointed at the simulator). */
  config: Config;
  /** Store file (recreated). */
  storePath: string;
  /** Directory of the bundled model package, or undefined for the fallback strategy. */
  modelDir?: string;
  /** Model registry directory used by the demo. */
  registryDir: string;
  /** Simulator speed multiplier. */
  speed: number;
  /** Resolves when the demo should stop (duration elapsed or Ctrl-C). */
  stop: Promise<void>;
  /** Progress and log lines. */
  log: (line: string) => void;
  /** The venue and symbol the paper trader trades. */
  traded?: { venue: "binance_us"; symbol: string };
  /** Live mode (`deno task start`): the real exchanges of the config, no simulator, configured news feeds. */
  live?: boolean;
}

/** What the demo prints at the end. */
export interface DemoSummary {
  strategy: string;
  model_version: string | null;
  seconds: number;
  events: number;
  fills: number;
  decisions: number;
  predictions: number;
  decision_latency_p50_ms: number | null;
  decision_latency_p99_ms: number | null;
  start_equity: number;
  end_equity: number;
  total_return: number;
  fees: number;
  max_drawdown: number;
  risk_state: string;
  harvest: Record<string, number>;
  news: { articles: number };
  store: Record<string, number>;
  cpu_percent: number;
  rss_mb: number;
  fingerprint: string;
}

/**
 * The whole edge pipeline on loopback: the exchange simulator (the bundled BTCUSDT
 * recording re-encoded for Binance.US, Coinbase, Kraken and KuCoin) → the real venue
 * adapters → the harvester (store, feed health, arbitrage) → the feature engine and the
 * bundled ONNX model (or a baseline when no model is bundled) → the paper trader with its
 * risk controls; plus one news cycle on the bundled feeds with the lexicon scorer.
 */
export async function runDemo(o: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const cpu0 = cpuSeconds();
  for (const f of [o.storePath, `${o.storePath}-wal`, `${o.storePath}-shm`]) {
    await Deno.remove(f).catch(() => {});
  }
  const store = await SqliteStore.open(o.storePath);
  const trading = await TradingStore.open(o.storePath);

  // News first (seconds): the lexicon scores the bundled feeds into the same store.
  const newsOut = memoryOutput();
  const newsArgs = o.live ? ["--once", "--json"] : ["--once", "--bundled", "--no-llm", "--json"];
  await newsCommand([...newsArgs, "--store", o.storePath], newsOut)
    .catch((e) => o.log(`news: ${(e as Error).message}`));
  const articles = Number(
    (store.db.prepare("SELECT COUNT(*) AS n FROM news_articles").get() as { n: number }).n,
  );
  o.log(`news: ${articles} articles${o.live ? "" : " scored with the lexicon (bundled feeds)"}`);

  const sim = o.live ? undefined : await ExchangeSimulator.start({
    speed: o.speed,
    symbols: o.config.symbols,
    source: "recorded",
  });
  const config = sim ? configForSimulator(o.config, sim) : o.config;
  const traded = o.traded ?? { venue: "binance_us", symbol: "BTC/USDT" };

  // Strategy: the bundled model through the feature engine, else the configured baseline.
  const intervalMs = config.trading.decision_interval_s * 1000;
  let strategy: Strategy;
  let model: ModelStrategy | undefined;
  let version: string | null = null;
  let predictions = 0;
  const insert = store.db.prepare(
    "INSERT INTO predictions (timestamp, venue, symbol, model_version, action, action_probs, position_size, risk_score, price_pred, latency_ms, attention) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const spec = buildFeatureSpec(defaultFeatureConfig([traded]));
  if (o.modelDir) {
    const registry = new ModelRegistry(o.registryDir, { featureHash: spec.hash });
    const manifest = await registry.installFromDir(o.modelDir);
    const host = new ModelHost(registry, { threads: config.model.ort_threads, maxFraction: 1 });
    await host.swapTo(manifest.version);
    version = manifest.version;
    model = new ModelStrategy({
      host,
      spec,
      stream: traded,
      intervalMs,
      onPrediction: (p) => {
        predictions++;
        savePrediction(insert, p, manifest.shape.window);
      },
    });
    strategy = model;
    o.log(
      `model ${manifest.version} loaded (${host.current?.precision}, feature spec ${
        spec.hash.slice(0, 12)
      })`,
    );
  } else {
    strategy = baselineStrategy(config.trading.strategy, { intervalMs });
    o.log(`no bundled model: trading with the ${strategy.name} baseline`);
  }

  const feed = new AsyncQueue<MarketEvent>();
  const harvester = new Harvester({
    config,
    store,
    healthIntervalMs: 5_000,
    // Live: each venue's metadata endpoint, cached a day; demo: the simulator's metadata.
    metadata: o.live ? { cacheDir: "data/metadata" } : {},
    onEvent: (e) => feed.push(e),
  });
  sim?.run();
  await harvester.start();
  // The traded instrument as its adapter runs it (venue metadata, else the built-in table).
  const inst =
    harvester.adapters.flatMap((a) => a.instruments).find((i) =>
      i.venue === traded.venue && i.symbol === traded.symbol
    ) ?? defaultInstrument(traded.venue, traded.symbol);
  if (!inst) throw new Error(`no instrument for ${traded.venue} ${traded.symbol}`);
  if (sim) {
    o.log(`simulator: ${Object.keys(sim.urls()).join(", ")} on 127.0.0.1 (speed ${o.speed}x)`);
  } else o.log(`live: ${harvester.adapters.map((a) => a.venue).join(", ")} (paper trading only)`);

  const engineConfig = {
    ...engineConfigFromConfig(config, [inst], (b) => new BinanceBookSync(b)),
    keepDecisions: false,
  };
  const trader = runPaperTrader({
    files: [],
    feed,
    config: engineConfig,
    strategy,
    store: trading,
    runId: "demo",
    tickMs: 1_000,
    ...(model
      ? {
        beforeEvent: async (e: MarketEvent, engine: TradingEngine) => {
          model!.observe(e, () => {
            const r = engine.runner(inst.venue, inst.symbol);
            return r ? portfolioStateOf(engine, r) : undefined;
          });
          await model!.settle();
        },
        onReloadModel: () =>
          Promise.resolve("the demo model is fixed; publish a new one to reload"),
      }
      : {}),
    onAlert: (a) => o.log(`alert: ${JSON.stringify(a)}`),
  });
  const ticker = setInterval(() => {
    o.log(
      `running ${
        Math.round((performance.now() - started) / 1000)
      } s: ${harvester.stats.events} events, ${predictions} predictions`,
    );
  }, 10_000);
  await o.stop;
  clearInterval(ticker);
  await harvester.stop();
  await sim?.stop();
  feed.close();
  const summary: TraderSummary = await trader;
  await model?.settle();
  const seconds = (performance.now() - started) / 1000;
  const latencies = [...(model?.latencies ?? [])].sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies.length
      ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] as number
      : null;
  const counts = await store.tableCounts();
  const rss = Deno.memoryUsage().rss;
  trading.close?.();
  await store.close();
  const net = summary.report.net;
  return {
    strategy: strategy.name,
    model_version: version,
    seconds: Math.round(seconds),
    events: summary.events,
    fills: summary.fills,
    decisions: summary.report.decisions,
    predictions,
    decision_latency_p50_ms: pct(0.5),
    decision_latency_p99_ms: pct(0.99),
    start_equity: net.start_equity,
    end_equity: net.end_equity,
    total_return: net.total_return,
    fees: net.fees,
    max_drawdown: net.max_drawdown,
    risk_state: summary.report.risk_state,
    harvest: { ...harvester.stats },
    news: { articles },
    store: counts,
    cpu_percent: Math.round((cpuSeconds() - cpu0) / seconds * 1000) / 10,
    rss_mb: Math.round(rss / 1e5) / 10,
    fingerprint: summary.fingerprint,
  };
}

function savePrediction(
  insert: { run: (...v: (string | number | null)[]) => unknown },
  p: PredictionRecord,
  window: number,
): void {
  const d = p.result.decision;
  insert.run(
    Math.round(p.time),
    p.venue,
    p.symbol,
    p.result.version,
    d.action,
    JSON.stringify(d.probs),
    d.sizeFraction,
    d.risk,
    JSON.stringify(d.pricePred),
    p.result.latencyMs,
    p.result.attention ? JSON.stringify(meanHeads(p.result.attention, window)) : null,
  );
}

/** Averages a `[1, H, T, T]` attention tensor over heads into a T×T matrix (rounded for storage). */
function meanHeads(att: Float32Array, T: number): number[][] {
  const heads = Math.max(1, Math.round(att.length / (T * T)));
  const out = Array.from({ length: T }, () => new Array<number>(T).fill(0));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) out[i]![j]! += (att[h * T * T + i * T + j] as number) / heads;
    }
  }
  return out.map((r) => r.map((v) => Math.round(v * 1e4) / 1e4));
}

function cpuSeconds(): number {
  const u =
    (globalThis as unknown as { process?: { cpuUsage(): { user: number; system: number } } })
      .process?.cpuUsage();
  return u ? (u.user + u.system) / 1e6 : 0;
}
