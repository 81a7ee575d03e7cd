/**
 * The PC trainer CLI: `deno run -A trainer/main.ts <command> [options]` — every trainer command
 * runs through this one entry point; `deno task train`, `train:*`, `export` and `backtest` are
 * thin aliases of it. Every command takes `--help`. Exit codes (the command kit's rule,
 * infra/cli/command.ts): 0 ok, 1 failure, 2 bad usage or configuration.
 *
 * - `train [--mode pipeline|pretrain|rl|export] ...`: enqueue and run a job pipeline
 * - `status`: job states
 * - `bench`: throughput vs the PyTorch anchor (1 and 2 threads)
 * - `synth`: a synthetic market with a known answer (planted / null)
 * - `controls`: positive and negative controls of the whole pipeline
 * - `candles FILE...`: walk-forward on one-minute candle histories
 * - `backtest --data FILE... --strategy NAME`: the deterministic backtester
 * - `int8-report RUN_DIR`: INT8 agreement of a run's model at two weight ranges
 * - `fixture --kind K`: regenerate a test model fixture
 * - `streams`: pooled vs per-stream training on a four-stream market
 *
 * @module
 */

import { type CommandRegistry, runCommand } from "../infra/cli/command.ts";
import type { Output } from "../infra/cli/output.ts";

/** The trainer's commands, by name (modules load on first use: `backtest` starts fast). */
export const TRAINER_COMMANDS: CommandRegistry = {
  train: {
    summary:
      "train through the KV job pipeline: [--mode pipeline|pretrain|rl|export] [RECORDING...]",
    run: async (args) => (await import("./train_command.ts")).trainCommand(args),
  },
  status: {
    summary: "job states, progress and dead letters",
    run: async (args) => (await import("./train_command.ts")).statusCommand(args),
  },
  bench: {
    summary: "training throughput vs the PyTorch anchor at 1 and 2 threads",
    run: async (args) => {
      await (await import("./bench_command.ts")).benchCommand(args);
      return 0;
    },
  },
  synth: {
    summary: "synthetic L2 + trade market with a known answer: --kind planted|null",
    run: async (args) => {
      await (await import("./synthetic/synth_command.ts")).synthCommand(args);
      return 0;
    },
  },
  controls: {
    summary: "positive and negative controls: walk-forward with per-fold retraining",
    run: async (args) => (await import("./controls/controls_command.ts")).controlsCommand(args),
  },
  candles: {
    summary: "one-minute candles into a dataset, walk-forward with per-fold retraining: FILE...",
    run: async (args) => (await import("./candles_command.ts")).candlesCommand(args),
  },
  backtest: {
    summary: "replay recordings through the trading engine: --data FILE... --strategy NAME",
    run: async (args) => (await import("./backtest/backtest_command.ts")).backtestCommand(args),
  },
  fixture: {
    summary: "regenerate a test model fixture: --kind tiny|tiny-rl|tiny-trained",
    run: async (args) => (await import("./export/fixture_command.ts")).fixtureCommand(args),
  },
  streams: {
    summary: "pooled vs per-stream training on a planted four-stream market (evidence table)",
    run: async (args) => (await import("./streams/compare_command.ts")).compareCommand(args),
  },
  "int8-report": {
    summary: "INT8 agreement of a run's pretrained model at two weight ranges: RUN_DIR",
    run: async (args) => (await import("./export/int8_report.ts")).int8ReportCommand(args),
  },
};

/**
 * Runs one trainer command and maps its outcome to an exit code.
 *
 * @param argv The command, then its options.
 * @param out Where the kit prints (commands print results on the console).
 * @returns The exit code.
 */
export function main(argv: string[], out?: Output): Promise<number> {
  return runCommand(TRAINER_COMMANDS, argv, { program: "deno run -A trainer/main.ts" }, out);
}

// The wasm backend's worker pool keeps the event loop alive: exit explicitly.
if (import.meta.main) Deno.exit(await main(Deno.args));
