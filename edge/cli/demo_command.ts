import { parseFlags } from "../../infra/cli/flags.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { type DemoSummary, runDemo } from "../demo/demo_run.ts";
import { formatSummary } from "../live/live_summary.ts";
import { fromFileUrl } from "../../infra/file_url.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";

import { BUNDLED_MODEL } from "../../infra/bundled_data.ts";

const USAGE =
  "usage: deno task demo [--duration SECONDS] [--speed N] [--port N] [--no-dashboard] " +
  "[--no-model | --model DIR] [--store PATH] [--json]";

/**
 * `demo`: the whole edge pipeline offline — loopback exchange simulator (the bundled recording
 * re-encoded for Binance.US, Coinbase, Kraken, KuCoin), the real venue adapters and harvester,
 * features, the bundled ONNX model, the paper trader with risk controls, news from the bundled
 * feeds with the lexicon scorer, and the dashboard — until Ctrl-C or `--duration`, then a summary.
 *
 * @returns Exit code (0 ok, 1 nothing traded or decided, 2 bad usage).
 */
export async function demoCommand(args: string[], out: Output): Promise<number> {
  const { values } = parseFlags(args, {
    usage: USAGE,
    options: {
      duration: { type: "string" },
      speed: { type: "string", default: "10" },
      port: { type: "string" },
      store: { type: "string" },
      model: { type: "string" },
      config: { type: "string", default: "config.yaml" },
      "no-dashboard": { type: "boolean", default: false },
      "no-model": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) {
    throw new UsageError(`--duration must be > 0\n${USAGE}`);
  }
  const speed = Number(values.speed);
  if (!(speed > 0)) throw new UsageError(`--speed must be > 0\n${USAGE}`);
  const { config: base } = await loadConfig(values.config);
  // The bundled model decides every 0.5 s (its training bar).
  const config = values.model
    ? base
    : { ...base, trading: { ...base.trading, decision_interval_s: 0.5 } };
  const storePath = values.store ?? "data/db/demo.db";
  const modelDir = values["no-model"] ? undefined : values.model ?? BUNDLED_MODEL;
  const port = values.port === undefined ? config.dashboard.port : Number(values.port);

  const stop = Promise.withResolvers<void>();
  const onSigint = () => stop.resolve();
  Deno.addSignalListener("SIGINT", onSigint);
  const timer = duration === undefined
    ? undefined
    : setTimeout(() => stop.resolve(), duration * 1000);

  out.stderr("TickerML demo: simulator → adapters → harvester → features → model → paper trader");
  await Deno.mkdir(storePath.includes("/") ? storePath.slice(0, storePath.lastIndexOf("/")) : ".", {
    recursive: true,
  });
  let dashboard: Deno.ChildProcess | undefined;
  let summary: DemoSummary;
  try {
    const running = runDemo({
      config,
      configPath: values.config,
      storePath,
      registryDir: "data/demo/registry",
      ...(modelDir ? { modelDir } : {}),
      speed,
      stop: stop.promise,
      log: (l) => out.stderr(`  ${l}`),
    });
    if (!values["no-dashboard"]) {
      dashboard = await startDashboard(storePath, config.dashboard.host, port, out);
    }
    out.stderr(
      `Running${duration ? ` for ${duration} s` : ""}; press Ctrl-C to stop and print the summary.`,
    );
    summary = await running;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    Deno.removeSignalListener("SIGINT", onSigint);
    if (dashboard) {
      try {
        dashboard.kill("SIGTERM");
      } catch { /* already gone */ }
      await dashboard.status;
    }
  }
  if (values.json) out.stdout(JSON.stringify(summary));
  else out.stdout(formatSummary(summary, "Demo finished", storePath));
  return summary.events > 0 && summary.decisions > 0 ? 0 : 1;
}

/**
 * Starts the dashboard as its own process on `store` (the UI bundle is rebuilt first).
 *
 * @returns The process, or undefined when the UI bundle failed.
 */
export async function startDashboard(
  store: string,
  host: string,
  port: number,
  out: Output,
): Promise<Deno.ChildProcess | undefined> {
  const root = fromFileUrl(new URL("../../", import.meta.url));
  const bundle = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--minify",
      "--output",
      "web/static/app.js",
      "web/ui/main.tsx",
    ],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (bundle.code !== 0) {
    out.stderr(
      `  dashboard: UI bundle failed, continuing without it: ${
        new TextDecoder().decode(bundle.stderr).slice(0, 300)
      }`,
    );
    return undefined;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "web/main.ts",
      "dashboard",
      "--store",
      store.startsWith("/") ? store : `${Deno.cwd()}/${store}`,
      "--host",
      host,
      "--port",
      String(port),
    ],
    cwd: root,
    stdout: "null",
    stderr: "null",
  }).spawn();
  out.stderr(`  dashboard: http://${host}:${port} (read-only; set DASHBOARD_TOKEN for controls)`);
  return child;
}
