/**
 * The dashboard process: `deno run -A web/main.ts dashboard [--config PATH] [--store PATH]
 * [--port N]` (`deno task dashboard`), the web runtime's one entry point (command kit:
 * `--help`, exit 2 on bad usage or configuration, 1 on failure).
 * Reads the edge's SQLite store read-only, pushes live updates over server-sent events and
 * serves the UI. Controls are enabled only when DASHBOARD_TOKEN is set.
 *
 * @module
 */
import { ControlWriter } from "../infra/store/trading/control_writer.ts";
import { type DashboardReader, StoreReader } from "../infra/store/dashboard/store_reader.ts";
import { PgDashboardReader } from "../infra/store/dashboard/pg_reader.ts";
import { RoutedReader } from "../infra/store/dashboard/routed_reader.ts";
import { type CommandRegistry, runCommand } from "../infra/cli/command.ts";
import { numberFlag } from "../infra/cli/flag_values.ts";
import { parseFlags } from "../infra/cli/flags.ts";
import type { Output } from "../infra/cli/output.ts";
import { dashboardSettings } from "./config/dashboard_settings.ts";
import { loadConfig } from "../infra/config/load_config.ts";
import { LiveHub } from "./live/live_hub.ts";
import { PollLoop } from "./live/poll_loop.ts";
import { StorePoller } from "./live/store_poller.ts";
import { createApp } from "./server/app.ts";

const USAGE =
  "usage: deno task dashboard [--config PATH] [--store PATH] [--host H] [--port N] [--poll-ms MS]";

/** A running dashboard. */
export interface RunningDashboard {
  /** The address it listens on. */
  url: string;
  /** Disconnects every event-stream client (they reconnect). */
  dropClients(): void;
  /** Stops the server and the poll loop. */
  close(): Promise<void>;
}

/** Options of {@linkcode startDashboard}. */
export interface StartOptions {
  /** Where log lines go. Default console.log. */
  log?: (line: string) => void;
  /** Environment (DASHBOARD_TOKEN). Default the process environment. */
  env?: Record<string, string>;
  /** Directory of the built UI. Default web/static. */
  staticDir?: string;
}

/**
 * Starts the dashboard.
 *
 * @param args Command-line arguments.
 * @param options Log sink, environment, UI directory.
 * @throws {ConfigError} On invalid configuration.
 * @throws {UsageError} On bad arguments.
 */
export async function startDashboard(
  args: string[],
  options: StartOptions = {},
): Promise<RunningDashboard> {
  const log = options.log ?? console.log;
  const { values } = parseFlags(args, {
    usage: USAGE,
    options: {
      config: { type: "string", default: "config.yaml" },
      store: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "poll-ms": { type: "string", default: "500" },
    },
  });
  const settings = dashboardSettings(
    await loadConfig(values.config, options.env ? { env: options.env } : {}),
  );
  const port = numberFlag(values.port, "port", settings.port, {
    integer: true,
    min: 0,
    max: 65_535,
  });
  const pollMs = numberFlag(values["poll-ms"], "poll-ms", 500, { min: 10 });
  const storePath = values.store ?? settings.storePath;
  // On the postgres backend the market data is on the server, the rest in the local file;
  // --store PATH reads that one SQLite file only.
  const pg = values.store === undefined ? settings.postgres : undefined;
  const reader: DashboardReader = pg
    ? new RoutedReader(new StoreReader(storePath), new PgDashboardReader(pg.url, pg.schema))
    : new StoreReader(storePath);
  const poller = new StorePoller(reader, { limits: settings.limits });
  const hub = new LiveHub();
  const controls = settings.token ? new ControlWriter(storePath) : undefined;
  if (!controls) log("DASHBOARD_TOKEN is not set: the dashboard is read-only");
  const loop = new PollLoop(poller, hub, {
    intervalMs: pollMs,
    onError: (e) => log(`poll failed: ${e instanceof Error ? e.message : String(e)}`),
  });
  const addrs = new WeakMap<Request, string>();
  const app = createApp({
    reader,
    poller,
    hub,
    ...(settings.token ? { token: settings.token } : {}),
    ...(controls ? { controls } : {}),
    staticDir: options.staticDir ?? new URL("./static", import.meta.url).pathname,
    log,
    remoteAddr: (req) => addrs.get(req),
  });
  loop.start();
  const server = Deno.serve({
    hostname: values.host ?? settings.host,
    port,
    onListen: () => {},
  }, (req, info) => {
    const addr = info.remoteAddr;
    addrs.set(req, addr.transport === "tcp" ? addr.hostname : addr.transport);
    return app.fetch(req);
  });
  const a = server.addr as Deno.NetAddr;
  const url = `http://${a.hostname}:${a.port}`;
  log(`dashboard on ${url} reading ${reader.path}${controls ? " (controls enabled)" : ""}`);
  return {
    url,
    dropClients: () => hub.close(),
    close: async () => {
      loop.stop();
      hub.close();
      await server.shutdown();
      controls?.close();
      await reader.close();
    },
  };
}

/** Serves until SIGINT or SIGTERM. */
async function dashboardCommand(args: string[], out: Output): Promise<number> {
  const running = await startDashboard(args, { log: (l) => out.stdout(l) });
  const stop = Promise.withResolvers<void>();
  Deno.addSignalListener("SIGINT", stop.resolve);
  Deno.addSignalListener("SIGTERM", stop.resolve);
  await stop.promise;
  await running.close();
  return 0;
}

/** The web runtime's commands, by name. */
export const WEB_COMMANDS: CommandRegistry = {
  dashboard: {
    summary: "serve the dashboard (read-only without DASHBOARD_TOKEN): [--store PATH] [--port N]",
    run: dashboardCommand,
  },
};

if (import.meta.main) {
  Deno.exit(await runCommand(WEB_COMMANDS, Deno.args, { program: "deno run -A web/main.ts" }));
}
