/**
 * TickerML edge CLI: `deno run -A edge/main.ts <command> [options]`.
 *
 * Commands: demo, replay, news, db, trade, config. Exit codes: 0 ok, 1 failure, 2 bad usage or configuration.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { archiveCommand } from "./cli/archive_command.ts";
import { dbCommand } from "./cli/db_command.ts";
import { demoCommand } from "./cli/demo_command.ts";
import { startCommand } from "./cli/start_command.ts";
import { exportRecordingCommand } from "./cli/export_recording_command.ts";
import { inferCommand } from "./cli/infer_command.ts";
import { statusCommand } from "./cli/status_command.ts";
import { runHarvest } from "./harvest/harvest_command.ts";
import { runSimulate } from "./simulator/simulate_command.ts";
import { consoleOutput, type Output, redactingOutput, UsageError } from "../infra/cli/output.ts";
import { knownSecretValues } from "../infra/config/secrets.ts";
import { newsCommand } from "./cli/news_command.ts";
import { reconcileCommand } from "./cli/reconcile_command.ts";
import { replayCommand } from "./cli/replay_command.ts";
import { tradeCommand } from "./cli/trade_command.ts";
import { loadConfig } from "../infra/config/load_config.ts";

const COMMANDS: Record<
  string,
  { help: string; run: (args: string[], out: Output) => Promise<number> }
> = {
  demo: {
    help: "replay the bundled recording into data/db/ and print a summary",
    run: demoCommand,
  },
  archive: {
    help:
      "apply the storage.retention policy once (verified archive, then delete); --measure: bytes per book-hour",
    run: archiveCommand,
  },
  "export-recording": {
    help:
      "write a stored Binance/Binance.US book as a recording: --store PATH --venue V --symbol S --out FILE.gz",
    run: exportRecordingCommand,
  },
  start: {
    help:
      "the live edge on config.yaml (paper only): continues its paper run after a restart; --new-run",
    run: startCommand,
  },
  harvest: {
    help:
      "collect books, trades, deltas, OHLCV, feed health, arbitrage: [--simulate] [--duration S]",
    run: (args) => runHarvest(args),
  },
  simulate: {
    help: "loopback exchange simulator with fault injection: [--speed N] [--source recorded]",
    run: (args) => runSimulate(args),
  },
  reconcile: {
    help:
      "replay a live paper run's stored window and compare its fills: [--run ID] [--from T] [--to T]",
    run: reconcileCommand,
  },
  status: {
    help: "data freshness, row counts, model, risk state, last decisions, sentiment freshness",
    run: statusCommand,
  },
  infer: {
    help: "--test: load the model, decide on recorded data, print outputs and latency",
    run: inferCommand,
  },
  replay: { help: "replay recording files: [--json] [--store PATH] FILE...", run: replayCommand },
  db: { help: "migrate|check the configured store (sqlite or postgres)", run: dbCommand },
  news: {
    help: "collect news + sentiment: [run|check|show|recompute] [--once] (--help)",
    run: newsCommand,
  },
  trade: {
    help: "paper-trade recordings: --replay FILE... [--store PATH] [--json] (--help)",
    run: tradeCommand,
  },
  config: {
    help: "validate config.yaml (or --config PATH) and print the resolved configuration",
    run: async (args, out) => {
      const i = args.indexOf("--config");
      const { config, secrets } = await loadConfig(i >= 0 ? args[i + 1] : "config.yaml");
      out.stdout(JSON.stringify({ config, secrets_set: Object.keys(secrets) }, null, 2));
      return 0;
    },
  },
};

/**
 * Runs one CLI command and maps errors to exit codes.
 *
 * @param argv Arguments: the command then its options.
 * @param out Where to print.
 * @returns The exit code.
 */
export async function main(argv: string[], out: Output = consoleOutput()): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    out.stderr(
      `${name ? `unknown command "${name}"\n` : ""}usage: deno run -A edge/main.ts <command>\n${
        Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(8)} ${c.help}`).join("\n")
      }`,
    );
    return 2;
  }
  out = redactingOutput(out, await knownSecretValues());
  try {
    return await command.run(rest, out);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      out.stderr(e.message);
      return 2;
    }
    out.stderr(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
