/**
 * The flags of `deno task train` (and of the commands that pass train options on: `controls`,
 * `candles`), in the kit's kebab-case spelling.
 *
 * @module
 */

import type { FlagSpec, ParsedFlags } from "../infra/cli/flags.ts";

/** The trainer's job queue (Deno KV). */
export const DEFAULT_KV = "data/trainer/jobs.sqlite";

/** The `train` command's flags (kebab-case; the old snake_case spellings still work, with a warning). */
export const TRAIN_OPTIONS = {
  mode: { type: "string", default: "pipeline" },
  kv: { type: "string", default: DEFAULT_KV },
  resume: { type: "boolean", default: false },
  out: { type: "string" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  "steps-per-epoch": { type: "string" },
  "pretrain-lr": { type: "string" },
  patience: { type: "string" },
  window: { type: "string" },
  layers: { type: "string" },
  ffn: { type: "string" },
  "d-model": { type: "string" },
  heads: { type: "string" },
  "bar-ms": { type: "string" },
  venue: { type: "string" },
  streams: { type: "string" },
  "stream-input": { type: "boolean" },
  // The export step always runs the parity check and fails beyond tolerance; --check is accepted
  // for the seed's `export --check` habit.
  check: { type: "boolean" },
  algo: { type: "string" },
  policy: { type: "string" },
  "export-policy": { type: "string" },
  episodes: { type: "string" },
  "walk-forward": { type: "string" },
  "episode-length": { type: "string" },
  "learning-rate": { type: "string" },
  reward: { type: "string" },
  "drawdown-penalty": { type: "string" },
  "fee-bps": { type: "string" },
  "max-position-fraction": { type: "string" },
  config: { type: "string", default: "config.yaml" },
  checkpoint: { type: "string" },
  experience: { type: "string", multiple: true },
  "experience-steps": { type: "string" },
  "publish-dir": { type: "string" },
  "publish-url": { type: "string" },
  seed: { type: "string" },
} as const satisfies Record<string, FlagSpec>;

/** Help of `train`. */
export const TRAIN_USAGE = `usage: deno task train [options] [RECORDING|DIR...]

  --mode M                 pipeline | pretrain | rl | export (default pipeline)
  --resume                 re-enqueue unfinished runs (after a crash) instead of starting one
  --kv PATH                job queue (default ${DEFAULT_KV})
  --out DIR                artifact root (default data/trainer/runs)
  --epochs N --batch-size N --steps-per-epoch N --pretrain-lr X --patience N
  --window T --layers N --ffn N --d-model N --heads N --bar-ms MS
  --venue V                venue tag of the recordings (default binance)
  --streams V:SYM,...      train on several streams of event recordings (pooled dataset)
  --stream-input           with --streams: the stream as a model input (one-hot per stream)
  --algo ppo|a2c --policy heads|mlp --episodes N --episode-length N --learning-rate X
  --reward return|dsr --drawdown-penalty X --walk-forward FOLDS --seed N
  --fee-bps X              fee per leg; default: the venue's taker/maker fees in --config
  --max-position-fraction F  default: the stream's or trading.max_position_fraction in --config
  --config PATH            configuration the costs come from (default config.yaml)
  --export-policy auto|rl|pretrained --publish-dir DIR --publish-url URL (token: EDGE_PUBLISH_TOKEN)
  --experience STORE (repeatable) --experience-steps N --checkpoint FILE --check`;

/** Flag values of `train`. */
export type TrainValues = ParsedFlags<typeof TRAIN_OPTIONS>["values"];
