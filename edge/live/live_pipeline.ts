/**
 * The live edge (`deno task start`, `deploy/tickerml-trade.service`): the configured venues →
 * adapters → harvester (store, feed health, arbitrage) → features → model or baseline → paper
 * trader with its risk controls, plus news on its interval and the model publish endpoint, in
 * one process that is the store's only writer. It never deletes anything: a restart (crash,
 * SIGKILL, systemd) continues the current paper run — ledger, positions, risk state; orders
 * open at the crash are cancelled as the engine's restore rule says and the downtime is
 * recorded — and `newRun` opens a fresh account explicitly. The demo is this pipeline plus the
 * simulator, the bundled model and a throwaway store (edge/demo/demo_run.ts).
 *
 * @module
 */

import type { Config, Secrets } from "../../core/config.ts";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { MarketStore } from "../../core/storage.ts";
import { baselineStrategy } from "../../core/trading/baselines.ts";
import type { TradingEngine } from "../../core/trading/engine.ts";
import { engineConfigFromConfig } from "../../core/trading/engine_config.ts";
import { portfolioStateOf } from "../../core/trading/portfolio_view.ts";
import type { Strategy } from "../../core/trading/strategy.ts";
import { AsyncQueue } from "./async_queue.ts";
import { Harvester } from "../harvest/harvester.ts";
import { openStore } from "../store/open_store.ts";
import { SqliteStore } from "../store/sqlite_store.ts";
import { ModelStrategy } from "../trader/model_strategy.ts";
import { runPaperTrader } from "../trader/paper_trader.ts";
import { TradingStore } from "../trader/trading_store.ts";
import { closeLiveSession, openLiveSession } from "./live_runs.ts";
import { type LiveSummary, summarize } from "./live_summary.ts";
import { ModelService } from "./model_service.ts";
import { NewsTimer } from "./news_timer.ts";
import { predictionWriter } from "./prediction_writer.ts";
export type { LiveSummary } from "./live_summary.ts";

/** Options of {@linkcode runLive}. */
export interface LiveOptions {
  /** Validated configuration (the exchanges it names are the ones harvested). */
  readonly config: Config;
  /** Secrets (DATABASE_URL for postgres, EDGE_PUBLISH_TOKEN). */
  readonly secrets: Secrets;
  /** The configuration file (the news cycle reads it). */
  readonly configPath: string;
  /** SQLite file of the account and side tables. Default `storage.sqlite_path`. */
  readonly statePath?: string;
  /** A model package to install (tested) and trade with. */
  readonly modelDir?: string;
  /** Trade with the registry's model (else `trading.strategy`'s baseline). */
  readonly useModel: boolean;
  /** Open a fresh paper account instead of continuing the current one. */
  readonly newRun: boolean;
  /** News: the configured feeds every `news.interval_minutes`, the bundled feeds once, or none. */
  readonly news: "configured" | "bundled" | "off";
  /** Serve POST /models on `model.publish_host:publish_port` (port 0: off). */
  readonly publish: boolean;
  /** Resolves when the edge should stop (duration elapsed, SIGINT, SIGTERM). */
  readonly stop: Promise<void>;
  /** Log lines. */
  readonly log: (line: string) => void;
  /** Instrument metadata source of the harvester (default: each venue's endpoint, cached in data/metadata). */
  readonly metadata?: { cacheDir?: string } | false;
  /** The venue and symbol the paper trader trades. Default Binance.US BTC/USDT. */
  readonly traded?: { venue: "binance_us"; symbol: string };
}

/**
 * Runs the live edge until `stop` resolves; see the module documentation.
 *
 * @throws {StoreLockedError} When another process writes the store.
 * @throws {RestoreMismatchError} When the current run cannot be continued (e.g. strategy changed).
 */
export async function runLive(o: LiveOptions): Promise<LiveSummary> {
  const started = performance.now();
  const cpu0 = cpuSeconds();
  const config = o.config;
  const statePath = o.statePath ?? config.storage.sqlite_path;
  const state = await SqliteStore.open(statePath); // takes the writer lock
  const closers: Array<() => Promise<void> | void> = [() => state.close()];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const trading = await TradingStore.open(statePath);
    closers.push(() => trading.close());
    const market: MarketStore = config.storage.backend === "sqlite"
      ? state
      : await openStore(config, o.secrets, { onLog: o.log, waitForServerMs: 30_000 });
    if (market !== state) closers.push(() => market.close());
    const traded = o.traded ?? { venue: "binance_us", symbol: "BTC/USDT" };

    const spec = buildFeatureSpec(defaultFeatureConfig([traded]));
    const models = new ModelService({
      registryDir: config.model.registry_dir,
      featureHash: spec.hash,
      threads: config.model.ort_threads,
      runtime: config.model.ort_runtime,
      log: o.log,
    });
    closers.push(() => models.stop());
    const intervalMs = config.trading.decision_interval_s * 1000;
    let strategy: Strategy;
    let model: ModelStrategy | undefined;
    const predictions = predictionWriter(
      state.db,
      () => models.host.current?.manifest.shape.window ?? 1,
    );
    if (o.useModel) {
      const m = await models.load(o.modelDir);
      model = new ModelStrategy({
        host: models.host,
        spec,
        stream: traded,
        intervalMs,
        onPrediction: (p) => predictions.save(p),
      });
      strategy = model;
      o.log(
        `model ${m.version} (${models.host.current?.precision}, spec ${spec.hash.slice(0, 12)})`,
      );
    } else {
      strategy = baselineStrategy(config.trading.strategy, { intervalMs });
      o.log(`trading with the ${strategy.name} baseline (trading.strategy)`);
    }
    const p = config.model;
    if (o.publish) {
      models.serve({
        host: p.publish_host,
        port: p.publish_port,
        maxBytes: p.publish_max_bytes,
        pollMs: p.incoming_poll_s * 1000,
        ...(o.secrets.publishToken ? { token: o.secrets.publishToken } : {}),
      });
    }

    const run = openLiveSession(state.db, { newRun: o.newRun, now: Date.now(), pid: Deno.pid });
    const persisted = trading.load(run.runId);
    if (persisted && persisted.strategy !== strategy.name) {
      throw new Error(
        `the live run ${run.runId} trades with ${persisted.strategy}, this start with ${strategy.name}: start with --new-run for a fresh account (the old one stays in the store)`,
      );
    }
    o.log(
      run.resumed
        ? `continuing paper run ${run.runId} (${
          persisted?.cursor ?? 0
        } events so far; previous process ${
          run.previous?.endedAt === null ? "was killed or crashed" : "stopped cleanly"
        })`
        : `new paper run ${run.runId}`,
    );

    const news = new NewsTimer({
      mode: o.news,
      storePath: statePath,
      configPath: o.configPath,
      intervalMs: config.news.interval_minutes * 60_000,
      log: o.log,
    });
    closers.push(() => news.stop());
    news.start();

    const feed = new AsyncQueue<MarketEvent>();
    const harvester = new Harvester({
      config,
      store: market,
      db: state.db,
      healthIntervalMs: 5_000,
      // Each venue's metadata endpoint (the simulator serves one too), cached a day.
      metadata: o.metadata ?? { cacheDir: "data/metadata" },
      onEvent: (e) => feed.push(e),
      log: (line) => {
        if (!line.includes('"kind":"health"')) o.log(line);
      },
    });
    await harvester.start();
    // The traded instrument as its adapter runs it (venue metadata, else the built-in table).
    const inst = harvester.adapters.flatMap((a) =>
      a.instruments
    ).find((i) => i.venue === traded.venue && i.symbol === traded.symbol) ??
      defaultInstrument(traded.venue, traded.symbol);
    if (!inst) {
      throw new Error(`no instrument for ${traded.venue} ${traded.symbol}`);
    }
    o.log(`venues: ${
      harvester.adapters.map((a) => a.venue).join(", ")
    } (paper trading only)`);
    const trader = runPaperTrader({
      files: [],
      feed,
      config: {
        ...engineConfigFromConfig(config, [inst], (b) => new BinanceBookSync(b)),
        keepDecisions: false,
      },
      strategy,
      store: trading,
      runId: run.runId,
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
          onReloadModel: () => models.reload(),
        }
        : {
          onReloadModel: () =>
            Promise.resolve(
              `trading with the ${strategy.name} baseline; set trading.strategy: model`,
            ),
        }),
      onAlert: (a) => o.log(`alert: ${JSON.stringify(a)}`),
      onStoreFull: o.log,
    });
    // A trader failure (e.g. a restore mismatch) stops the edge instead of waiting for `stop`.
    const failed = trader.then(() => undefined, (e) => e as Error);
    const ticker = setInterval(() => {
      const m = Deno.memoryUsage();
      const mb = (v: number) => Math.round(v / 1e6);
      o.log(
        `running ${
          Math.round((performance.now() - started) / 1000)
        } s: ${harvester.stats.events} events, ${predictions.count} predictions, ${feed.size} queued for the trader; memory: RSS ${
          mb(m.rss)
        } MB, V8 heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, external ${mb(m.external)} MB`,
      );
    }, 10_000);
    const early = await Promise.race([o.stop.then(() => undefined), failed]);
    clearInterval(ticker);
    await harvester.stop();
    feed.close();
    if (early) throw early;
    const summary = await trader;
    await model?.settle();
    await news.stop();
    const result = summarize({
      run,
      strategy: strategy.name,
      modelVersion: models.host.current?.manifest.version ?? null,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSeconds() - cpu0,
      trader: summary,
      latencies: model?.latencies ?? [],
      predictions: predictions.count,
      harvest: { ...harvester.stats },
      articles: news.articles(state.db),
      store: await market.tableCounts(),
    });
    closeLiveSession(state.db, run.session, Date.now(), {
      events: result.events,
      fills: result.fills,
    });
    return result;
  } finally {
    await close();
  }
}

function cpuSeconds(): number {
  const u =
    (globalThis as unknown as { process?: { cpuUsage(): { user: number; system: number } } })
      .process?.cpuUsage();
  return u ? (u.user + u.system) / 1e6 : 0;
}
