/**
 * TickerML edge CLI: `deno run -A edge/main.ts <command> [options]` — every edge command runs
 * through this one entry point (and so is in the compiled Pi executable). `deno task <name>`
 * is a thin alias of `edge/main.ts <command>`. Every command takes `--help`. Exit codes (the
 * command kit's rule, infra/cli/command.ts): 0 ok, 1 failure, 2 bad usage or configuration.
 *
 * @module
 */
import { type CommandRegistry, runCommand } from "../infra/cli/command.ts";
import { parseFlags } from "../infra/cli/flags.ts";
import { consoleOutput, type Output } from "../infra/cli/output.ts";
import { loadConfig } from "../infra/config/load_config.ts";

/** The edge's commands, by name. */
export const EDGE_COMMANDS: CommandRegistry = {
  demo: {
    summary: "the whole pipeline offline on the loopback simulator, with the dashboard",
    run: async (args, out) => (await import("./cli/demo_command.ts")).demoCommand(args, out),
  },
  start: {
    summary:
      "the live edge on config.yaml (paper only): continues its paper run after a restart; --new-run",
    run: async (args, out) => (await import("./cli/start_command.ts")).startCommand(args, out),
  },
  soak: {
    summary: "the live edge against the simulator process, SIGKILLed and restarted, with faults",
    run: async (args) => (await import("./soak/soak_command.ts")).soakCommand(args),
  },
  reconcile: {
    summary:
      "replay a live paper run's stored window and compare its fills: [--run ID] [--from T] [--to T]",
    run: async (args, out) =>
      (await import("./cli/reconcile_command.ts")).reconcileCommand(args, out),
  },
  status: {
    summary: "data freshness, row counts, model, risk state, last decisions, sentiment freshness",
    run: async (args, out) => (await import("./cli/status_command.ts")).statusCommand(args, out),
  },
  harvest: {
    summary:
      "collect books, trades, deltas, OHLCV, feed health, arbitrage: [--simulate] [--duration S]",
    run: async (args) => (await import("./harvest/harvest_command.ts")).runHarvest(args),
  },
  simulate: {
    summary: "loopback exchange simulator with fault injection: [--speed N] [--source recorded]",
    run: async (args) => (await import("./simulator/simulate_command.ts")).runSimulate(args),
  },
  news: {
    summary: "collect news + sentiment: [run|check|show|recompute] [--once]",
    run: async (args, out) => (await import("./cli/news_command.ts")).newsCommand(args, out),
  },
  features: {
    summary: "feature dataset of recordings; look-ahead and warm-up bias checks: FILE...",
    run: async (args) => (await import("./features_cli.ts")).runFeaturesCli(args),
  },
  "export-data": {
    summary: "CSV dumps of ohlcv, features and predictions: [--store PATH] [--out DIR]",
    run: async (args, out) => (await import("./export/export_data.ts")).runExportData(args, out),
  },
  "export-recording": {
    summary: "a stored book as a recording: --venue V --symbol S --out FILE.gz [--format events]",
    run: async (args, out) =>
      (await import("./cli/export_recording_command.ts")).exportRecordingCommand(args, out),
  },
  replay: {
    summary: "replay recording files: [--json] [--store PATH] FILE...",
    run: async (args, out) => (await import("./cli/replay_command.ts")).replayCommand(args, out),
  },
  trade: {
    summary: "paper-trade recordings at full speed: --replay FILE... [--store PATH] [--json]",
    run: async (args, out) => (await import("./cli/trade_command.ts")).tradeCommand(args, out),
  },
  infer: {
    summary: "--test: load the model, decide on recorded data, print outputs and latency",
    run: async (args, out) => (await import("./cli/infer_command.ts")).inferCommand(args, out),
  },
  db: {
    summary: "migrate|check the configured store (sqlite or postgres)",
    run: async (args, out) => (await import("./cli/db_command.ts")).dbCommand(args, out),
  },
  archive: {
    summary:
      "apply the storage.retention policy once (verified archive, then delete); --measure: bytes per book-hour",
    run: async (args, out) => (await import("./cli/archive_command.ts")).archiveCommand(args, out),
  },
  config: {
    summary: "validate config.yaml (or --config PATH) and print the resolved configuration",
    run: configCommand,
  },
};

async function configCommand(args: string[], out: Output): Promise<number> {
  const { values } = parseFlags(args, {
    name: "config",
    options: {
      config: { type: "string", default: "config.yaml", help: "the configuration file" },
    },
  });
  const { config, secrets } = await loadConfig(values.config);
  out.stdout(JSON.stringify({ config, secrets_set: Object.keys(secrets) }, null, 2));
  return 0;
}

/**
 * Runs one edge command and maps its outcome to an exit code.
 *
 * @param argv The command, then its options.
 * @param out Where to print.
 * @returns The exit code.
 */
export function main(argv: string[], out: Output = consoleOutput()): Promise<number> {
  return runCommand(EDGE_COMMANDS, argv, { program: "deno run -A edge/main.ts" }, out);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
