import type { Config, Secrets } from "../../core/config.ts";
import { configForSimulator } from "../harvest/harvest_command.ts";
import { type LiveSummary, runLive } from "../live/live_pipeline.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import { lockPathOf } from "../../infra/store/store_lock.ts";

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  /** Validated configuration (exchanges are pointed at the simulator). */
  config: Config;
  /** The configuration file (for the news cycle). */
  configPath: string;
  /** The demo's own throwaway store file (deleted and recreated). */
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
}

/** What the demo prints at the end. */
export type DemoSummary = LiveSummary;

/**
 * The demo: the live pipeline ({@linkcode runLive}) plus the exchange simulator (the bundled
 * BTCUSDT recording re-encoded for Binance.US, Coinbase, Kraken and KuCoin), the bundled ONNX
 * model (or a baseline) and a throwaway SQLite store — the only store any command deletes, and
 * only its own file — with one news cycle on the bundled feeds scored by the lexicon.
 */
export async function runDemo(o: DemoOptions): Promise<DemoSummary> {
  for (const f of ["", "-wal", "-shm"]) await Deno.remove(`${o.storePath}${f}`).catch(() => {});
  await Deno.remove(lockPathOf(o.storePath)).catch(() => {});
  const sim = await ExchangeSimulator.start({
    speed: o.speed,
    symbols: o.config.symbols,
    source: "recorded",
  });
  try {
    const base = configForSimulator(o.config, sim);
    const config: Config = {
      ...base,
      storage: { ...base.storage, backend: "sqlite", sqlite_path: o.storePath },
      model: { ...base.model, registry_dir: o.registryDir },
    };
    sim.run();
    o.log(`simulator: ${Object.keys(sim.urls()).join(", ")} on 127.0.0.1 (speed ${o.speed}x)`);
    const secrets: Secrets = {};
    return await runLive({
      config,
      secrets,
      configPath: o.configPath,
      useModel: o.modelDir !== undefined,
      ...(o.modelDir ? { modelDir: o.modelDir } : {}),
      newRun: true,
      metadata: {}, // the simulator's metadata endpoints, no disk cache
      news: "bundled",
      publish: false,
      stop: o.stop,
      log: o.log,
    });
  } finally {
    await sim.stop();
  }
}
