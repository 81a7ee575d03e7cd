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
import { venueBookSync } from "../../core/market/venue_book_sync.ts";
import type { MarketStore } from "../../core/storage.ts";
import { tradedInstruments } from "../../core/traded_streams.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { engineConfigFromConfig } from "../../core/trading/engine/engine_config.ts";
import type { Strategy } from "../../core/trading/strategy/strategy.ts";
import { describeRoutes } from "../../core/model/served_streams.ts";
import { TradedScaleGuard } from "./traded_scale.ts";
import { TraderFeed } from "./trader_feed.ts";
import { Harvester } from "../harvest/harvester.ts";
import { openStore } from "../../infra/store/open_store.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { runPaperTrader } from "../trader/paper_trader.ts";
import { TradingStore } from "../../infra/store/trading/trading_store.ts";
import { LiveRouter, refuseUnserved } from "./live_router.ts";
import { closeLiveSession, openLiveSession } from "../../infra/store/live/live_runs.ts";
import { recordLiveModel } from "./live_models.ts";
import { type LiveSummary, summarize } from "./live_summary.ts";
import { ModelService } from "./model_service.ts";
import { NewsTimer } from "./news_timer.ts";
import { predictionWriter } from "../../infra/store/live/prediction_writer.ts";
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
    // Every configured stream (trading.streams), in one account.
    const configured = tradedInstruments(config);
    let router: LiveRouter | undefined;
    const opened: { runId?: string } = {}; // the run, once the session is open
    const models = new ModelService({
      registryDir: config.model.registry_dir,
      threads: config.model.ort_threads,
      runtime: config.model.ort_runtime,
      log: o.log,
      // A model that decides none of the traded streams is refused; the running one stays.
      refuse: refuseUnserved(configured),
      // A hot swap re-reads which streams the model serves (failures keep the old routes).
      onSwapped: async (version) => {
        if (!router) return;
        // The run records the model it trades with (reconcile replays with that package).
        if (opened.runId) recordLiveModel(state.db, opened.runId, version, Date.now());
        try {
          if (await router.reroute()) {
            for (const l of describeRoutes(router.routes)) o.log(`streams: now ${l}`);
          }
        } catch (e) {
          o.log(`model ${version}: routes not rebuilt: ${(e as Error).message}`);
        }
      },
    });
    closers.push(() => models.stop());
    const intervalMs = config.trading.decision_interval_s * 1000;
    let strategy: Strategy;
    const predictions = predictionWriter(
      state.db,
      () => models.host.current?.manifest.shape.window ?? 1,
    );
    if (o.useModel) {
      const m = await models.load(o.modelDir);
      o.log(`model ${m.version} (${models.host.current?.precision})`);
      router = await LiveRouter.open({
        host: models.host,
        registryDir: config.model.registry_dir,
        streams: configured,
        baseline: baselineStrategy(baselineOf(config.trading.strategy), { intervalMs }),
        intervalMs,
        onPrediction: (p) => predictions.save(p),
        log: o.log,
      });
      strategy = router.strategy;
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
    opened.runId = run.runId;
    const version = o.useModel ? models.host.current?.manifest.version : undefined;
    if (version !== undefined) recordLiveModel(state.db, run.runId, version, Date.now());
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

    // Bounded: while the trader waits (a full disk) the backlog is conflated, books exact.
    const feed = TraderFeed.logged(o.log);
    // The trader keeps one scale per stream; a widened or refreshed instrument's events are
    // moved to it.
    const scales = new Map(
      configured.map((c) => [`${c.venue}:${c.symbol}`, new TradedScaleGuard(c, o.log)]),
    );
    const harvester: Harvester = new Harvester({
      config,
      store: market,
      db: state.db,
      healthIntervalMs: 5_000,
      // Each venue's metadata endpoint (the simulator serves one too), cached a day.
      metadata: o.metadata ?? { cacheDir: "data/metadata" },
      onEvent: (e) => {
        const current = harvester.adapters.find((a) => a.venue === e.venue)?.feeds.get(e.symbol);
        const guard = scales.get(`${e.venue}:${e.symbol}`);
        const out = guard ? guard.forTrader(e, current?.inst) : e;
        if (out) feed.push(out);
      },
      log: (line) => {
        if (!line.includes('"kind":"health"')) o.log(line);
      },
    });
    await harvester.start();
    // The traded instruments as their adapters run them (venue metadata, else the built-in table).
    const running = harvester.adapters.flatMap((a) => a.instruments);
    const instruments = configured.map((c) => {
      const found = running.find((i) => i.venue === c.venue && i.symbol === c.symbol) ?? c;
      return scales.get(`${c.venue}:${c.symbol}`)?.pin(found) ?? found;
    });
    o.log(
      `venues: ${harvester.adapters.map((a) => a.venue).join(", ")} (paper trading only); trading ${
        instruments.map((i) => `${i.venue} ${i.symbol}`).join(", ")
      } in one account`,
    );
    const trader = runPaperTrader({
      files: [],
      feed,
      config: {
        ...engineConfigFromConfig(config, instruments, venueBookSync),
        keepDecisions: false,
      },
      strategy,
      store: trading,
      runId: run.runId,
      tickMs: 1_000,
      ...(router
        ? {
          beforeEvent: (e, engine) => router!.beforeEvent(e, engine),
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
        } s: ${harvester.stats.events} events, ${predictions.count} predictions, ${feed.size} queued for the trader (${feed.mergedDeltas} deltas merged, ${feed.skippedTrades} trades skipped); memory: RSS ${
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
    await router?.settle();
    await news.stop();
    const result = summarize({
      run,
      strategy: strategy.name,
      modelVersion: models.host.current?.manifest.version ?? null,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSeconds() - cpu0,
      trader: summary,
      latencies: router?.latencies ?? [],
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

/** The baseline of the streams no model serves: `trading.strategy`, imbalance when it is "model". */
function baselineOf(configured: string): string {
  return configured === "model" ? "imbalance" : configured;
}
