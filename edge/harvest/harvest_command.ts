/**
 * `deno task harvest`: runs the harvester on the configured venues.
 *
 * Options: `--config PATH` (default config.yaml), `--store PATH` (default
 * `storage.sqlite_path`), `--duration S` (default: until Ctrl-C), `--health-interval S`
 * (default 10), `--simulate` (start the loopback simulator in this process and point
 * every venue at it), `--speed N` and `--source synthetic|recorded` (simulator speed and
 * market source), `--recording FILE` (repeatable: the recording a recorded source loops
 * over), `--fault "S venue kind [symbol]"` (repeatable: inject a simulator fault after S
 * seconds). Logs JSON lines (health,
 * resyncs, bad frames) to stdout and `<logging.dir>/harvest.log`.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { UsageError } from "../../infra/cli/usage_error.ts";
import type { Config } from "../../core/config.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { ExchangeSimulator, type SimVenue } from "../simulator/exchange_simulator.ts";
import type { Fault } from "../simulator/faults.ts";
import { parseFaultCommand } from "../simulator/simulate_command.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { StoreLockedError } from "../../infra/store/store_lock.ts";
import { Harvester } from "./harvester.ts";

/**
 * Points every enabled venue of a configuration at a running simulator.
 *
 * @returns A copy of `config` with the simulator's `ws_url` / `rest_url`.
 */
export function configForSimulator(config: Config, sim: ExchangeSimulator): Config {
  const urls = sim.urls();
  const exchanges = { ...config.exchanges };
  for (const [venue, u] of Object.entries(urls)) {
    const key = venue as keyof Config["exchanges"];
    const ex = exchanges[key];
    if (ex) exchanges[key] = { ...ex, ...u };
  }
  return { ...config, exchanges };
}

/**
 * CLI entry of the harvester.
 *
 * @returns Exit code: 0 after a clean stop, 2 on bad usage or configuration.
 */
export async function runHarvest(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    name: "harvest",
    options: {
      config: { type: "string", default: "config.yaml" },
      store: { type: "string" },
      duration: { type: "string" },
      "health-interval": { type: "string", default: "10" },
      simulate: { type: "boolean", default: false },
      speed: { type: "string", default: "1" },
      source: { type: "string", default: "synthetic" },
      recording: { type: "string", multiple: true },
      fault: { type: "string", multiple: true, default: [] },
    },
  });
  let config: Config = (await loadConfig(values.config)).config;
  const faults: { at: number; venue: SimVenue; fault: Fault }[] = [];
  try {
    for (const f of values.fault) {
      const [at, ...words] = f.trim().split(/\s+/);
      if (!(Number(at) >= 0)) throw new RangeError(`--fault "${f}": starts with seconds`);
      faults.push({ at: Number(at), ...parseFaultCommand(words) });
    }
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const sim = values.simulate
    ? await ExchangeSimulator.start({
      speed: Number(values.speed),
      symbols: config.symbols,
      source: values.source === "recorded" ? "recorded" : "synthetic",
      ...(values.recording ? { recording: values.recording } : {}),
    })
    : undefined;
  if (sim) {
    config = configForSimulator(config, sim);
    sim.run();
    for (const f of faults) setTimeout(() => sim.inject(f.venue, f.fault), f.at * 1000);
  }
  await Deno.mkdir(config.logging.dir, { recursive: true });
  const logFile = await Deno.open(`${config.logging.dir}/harvest.log`, {
    append: true,
    create: true,
  });
  const encoder = new TextEncoder();
  const storePath = values.store ?? config.storage.sqlite_path;
  let store: SqliteStore;
  try {
    store = await SqliteStore.open(storePath);
  } catch (e) {
    await sim?.stop();
    logFile.close();
    if (e instanceof StoreLockedError) console.error(e.message);
    // The real error (read-only filesystem, disk full, permissions), with the path.
    else console.error(`harvest: cannot open the store ${storePath}: ${(e as Error).message}`);
    return 1;
  }
  const harvester = new Harvester({
    config,
    store,
    healthIntervalMs: Number(values["health-interval"]) * 1000,
    metadata: { cacheDir: "data/metadata" }, // venue metadata, cached a day
    log: (line) => {
      console.log(line);
      logFile.writeSync(encoder.encode(line + "\n"));
    },
  });
  await harvester.start();
  const done = Promise.withResolvers<void>();
  Deno.addSignalListener("SIGINT", () => done.resolve());
  if (values.duration) setTimeout(() => done.resolve(), Number(values.duration) * 1000);
  await done.promise;
  await harvester.stop();
  await sim?.stop();
  console.log(JSON.stringify({ kind: "summary", ...harvester.stats }));
  await store.close();
  logFile.close();
  return harvester.stats.unwritten_events > 0 ? 1 : 0;
}
