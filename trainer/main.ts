/**
 * The PC trainer CLI.
 *
 * - `deno task train [--mode pipeline|pretrain|rl] ...`: enqueue and run a job pipeline
 * - `deno task train:status`: job states
 * - `deno task train:bench`: throughput vs the PyTorch anchor (1 and 2 threads)
 * - `deno task train:synth`: a synthetic market with a known answer (planted / null)
 * - `deno task train:controls`: positive and negative controls of the whole pipeline
 * - `deno task train:candles FILE...`: walk-forward on one-minute candle histories
 * - `deno task train:streams`: pooled vs per-stream training on a four-stream market
 *
 * @module
 */

import { benchCommand } from "./bench_command.ts";
import { candlesCommand } from "./candles_command.ts";
import { controlsCommand } from "./controls/controls_command.ts";
import { synthCommand } from "./synthetic/synth_command.ts";
import { compareCommand } from "./streams/compare_command.ts";
import { statusCommand, trainCommand } from "./train_command.ts";

if (import.meta.main) {
  const [cmd, ...rest] = Deno.args;
  let code = 0;
  try {
    if (cmd === "bench") await benchCommand(rest);
    else if (cmd === "train") code = await trainCommand(rest);
    else if (cmd === "status") code = await statusCommand(rest);
    else if (cmd === "synth") await synthCommand(rest);
    else if (cmd === "controls") code = await controlsCommand(rest);
    else if (cmd === "candles") code = await candlesCommand(rest);
    else if (cmd === "streams") code = await compareCommand(rest);
    else {
      console.error(
        `Unknown command: ${
          cmd ?? "(none)"
        }; expected bench, train, status, synth, controls, candles or streams`,
      );
      code = 2;
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    code = 1;
  }
  // The wasm backend's worker pool keeps the event loop alive: exit explicitly.
  Deno.exit(code);
}
