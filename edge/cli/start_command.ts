import { parseFlags } from "../../infra/cli/flags.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { type LiveSummary, runLive } from "../live/live_pipeline.ts";
import { formatSummary } from "../live/live_summary.ts";
import { startDashboard } from "./demo_command.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";

const USAGE = "usage: deno task start [--config PATH] [--store PATH] [--model DIR] [--new-run] " +
  "[--duration SECONDS] [--dashboard] [--no-publish] [--no-news] [--json]";

/**
 * `start`: the live edge (edge/live/live_pipeline.ts) on the exchanges and feeds of the
 * configuration, paper trading only. Opens the configured store (never deletes anything) and
 * continues the current paper run after a stop, crash or SIGKILL; `--new-run` opens a fresh
 * account. Stops on SIGINT/SIGTERM or after `--duration`, then prints a summary.
 *
 * @returns Exit code (0 ok, 1 failure, 2 bad usage; a second writer on the store is a failure).
 */
export async function startCommand(args: string[], out: Output): Promise<number> {
  const { values } = parseFlags(args, {
    usage: USAGE,
    options: {
      config: { type: "string", default: "config.yaml" },
      store: { type: "string" },
      model: { type: "string" },
      "new-run": { type: "boolean", default: false },
      duration: { type: "string" },
      dashboard: { type: "boolean", default: false },
      "no-dashboard": { type: "boolean", default: false }, // the default; kept for old units
      "no-publish": { type: "boolean", default: false },
      "no-news": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) {
    throw new UsageError(`--duration must be > 0\n${USAGE}`);
  }
  const { config: loaded, secrets } = await loadConfig(values.config);
  const config = values.store
    ? { ...loaded, storage: { ...loaded.storage, sqlite_path: values.store } }
    : loaded;
  const storePath = config.storage.sqlite_path;

  const stop = Promise.withResolvers<void>();
  const onSignal = () => stop.resolve();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const timer = duration === undefined
    ? undefined
    : setTimeout(() => stop.resolve(), duration * 1000);
  out.stderr(
    "TickerML live (paper only): exchanges → adapters → harvester → features → strategy → paper trader",
  );
  let dashboard: Deno.ChildProcess | undefined;
  let summary: LiveSummary;
  try {
    const running = runLive({
      config,
      secrets,
      configPath: values.config,
      useModel: values.model !== undefined || config.trading.strategy === "model",
      ...(values.model ? { modelDir: values.model } : {}),
      newRun: values["new-run"],
      news: values["no-news"] ? "off" : "configured",
      publish: !values["no-publish"],
      stop: stop.promise,
      log: (l) => out.stderr(`  ${l}`),
    });
    if (values.dashboard && !values["no-dashboard"]) {
      dashboard = await startDashboard(
        storePath,
        config.dashboard.host,
        config.dashboard.port,
        out,
      );
    }
    out.stderr(`Running${duration ? ` for ${duration} s` : ""}; SIGINT or SIGTERM stops it.`);
    summary = await running;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    if (dashboard) {
      try {
        dashboard.kill("SIGTERM");
      } catch { /* already gone */ }
      await dashboard.status;
    }
  }
  if (values.json) out.stdout(JSON.stringify(summary));
  else out.stdout(formatSummary(summary, "Live edge stopped", storePath));
  return summary.events > 0 && summary.decisions > 0 ? 0 : 1;
}
