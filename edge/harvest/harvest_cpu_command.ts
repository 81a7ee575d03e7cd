/**
 * `deno task bench:harvest`: CPU and memory of the harvester on 4 venues × all
 * their configured symbols, fed by the loopback simulator running in a separate
 * process at `--speed` times the real rate (10 book updates per second per symbol,
 * Binance's 100 ms cadence). Writes to a temporary SQLite file as in production.
 * Prints a JSON sample every `--every` seconds (CPU % of one core over the
 * interval, RSS) and a summary. Options: `--seconds 60`, `--speed 10`, `--every 10`,
 * `--source synthetic|recorded` (recorded: BTC symbols replay the Binance BTCUSDT
 * recording, about 10 depth updates and 30 trades per second at speed 1).
 *
 * @module
 */

import { cpuUsage } from "node:process";
import { parseFlags } from "../../infra/cli/flags.ts";
import { runScript } from "../../infra/cli/command.ts";
import type { Config } from "../../core/config.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { Harvester } from "./harvester.ts";

/**
 * CLI entry.
 *
 * @returns Exit code.
 */
export async function runHarvestCpu(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    name: "deno task bench:harvest",
    options: {
      seconds: { type: "string", default: "60" },
      speed: { type: "string", default: "10" },
      every: { type: "string", default: "10" },
      config: { type: "string", default: "config.yaml" },
      source: { type: "string", default: "synthetic" },
    },
  });
  const seconds = Number(values.seconds);
  const every = Number(values.every);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../main.ts", import.meta.url).pathname,
      "simulate",
      "--speed",
      values.speed,
      "--source",
      values.source,
    ],
    stdout: "piped",
    stdin: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let head = "";
  while (!head.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("simulator exited before printing its URLs");
    head += value;
  }
  void (async () => {
    while (!(await reader.read()).done) { /* drain status lines */ }
  })();
  const urls = JSON.parse(head.slice(0, head.indexOf("\n"))).exchanges as Record<
    string,
    { ws_url: string; rest_url: string }
  >;
  let config = (await loadConfig(values.config)).config;
  const exchanges = { ...config.exchanges };
  for (const [v, u] of Object.entries(urls)) {
    const key = v as keyof Config["exchanges"];
    if (exchanges[key]) exchanges[key] = { ...exchanges[key]!, ...u };
  }
  config = { ...config, exchanges };
  const dir = await Deno.makeTempDir({ prefix: "tickerml-harvest-bench-" });
  const store = await SqliteStore.open(`${dir}/bench.db`);
  const harvester = new Harvester({ config, store, healthIntervalMs: every * 1000 });
  await harvester.start();
  const samples: { cpu_pct: number; rss_mb: number; heap_mb: number }[] = [];
  const t0 = performance.now();
  let lastCpu = cpuUsage();
  let lastT = t0;
  let lastEvents = 0;
  while (performance.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, every * 1000));
    const now = performance.now();
    const cpu = cpuUsage(lastCpu);
    const cpuPct = ((cpu.user + cpu.system) / 1000 / (now - lastT)) * 100;
    const mem = Deno.memoryUsage();
    const rss = mem.rss / 2 ** 20;
    const events = harvester.stats.events;
    const sample = {
      t_s: Math.round((now - t0) / 1000),
      cpu_pct: Math.round(cpuPct * 10) / 10,
      rss_mb: Math.round(rss * 10) / 10,
      heap_mb: Math.round((mem.heapUsed / 2 ** 20) * 10) / 10,
      events_per_s: Math.round((events - lastEvents) / ((now - lastT) / 1000)),
    };
    samples.push(sample);
    console.log(JSON.stringify(sample));
    lastCpu = cpuUsage();
    lastT = now;
    lastEvents = events;
  }
  await harvester.stop();
  child.stdin.getWriter().write(new TextEncoder().encode("quit\n"));
  await child.status;
  await store.close();
  await Deno.remove(dir, { recursive: true });
  const steady = samples.slice(1); // the first interval includes start-up
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(JSON.stringify({
    kind: "summary",
    speed: Number(values.speed),
    source: values.source,
    seconds,
    streams: harvester.adapters.reduce((n, a) => n + a.feeds.size, 0),
    cpu_pct_mean: Math.round(avg(steady.map((s) => s.cpu_pct)) * 10) / 10,
    cpu_pct_max: Math.max(...steady.map((s) => s.cpu_pct)),
    rss_mb_first: samples[0]?.rss_mb,
    rss_mb_last: samples.at(-1)?.rss_mb,
    rss_mb_max: Math.max(...samples.map((s) => s.rss_mb)),
    ...harvester.stats,
  }));
  return 0;
}

if (import.meta.main) {
  Deno.exit(await runScript("bench:harvest", { summary: "", run: (args) => runHarvestCpu(args) }));
}
