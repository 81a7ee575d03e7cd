/**
 * Configuration of a training run (what `deno task train` options set), with
 * defaults. Stored in the run record as snake_case JSON.
 *
 * @module
 */

import { DEFAULT_MODEL } from "../../core/model/model_spec.ts";
import type { StepName } from "./records.ts";
import type { VenueId } from "../../core/market/instrument.ts";

/** A run's configuration. */
export interface RunConfig {
  /** Recording files (Binance `<ns> <json>` lines, gzip or plain). */
  recordings: string[];
  /** Artifact directory root; a run writes into `<out_dir>/<run_id>/`. */
  out_dir: string;
  /** Decision interval of the feature engine (ms). */
  bar_ms: number;
  /** Venue tag the recordings are read as (the edge's feature spec names it). */
  venue: VenueId;
  /**
   * Traded streams ("venue:BASE/QUOTE") to train on, each from its own feature spec (the one
   * the edge builds for it); several are pooled into one dataset and one model that serves
   * them all (trainer/data/stream_datasets.ts). Absent: the default spec over every stream of
   * the recordings, labelled from the first.
   */
  streams?: string[];
  /** With several `streams`: the stream is also an input (one-hot columns after the features). */
  stream_input?: boolean;
  /** Window length T. */
  window: number;
  /** Model width. */
  d_model: number;
  /** Attention heads. */
  heads: number;
  /** Encoder layers. */
  layers: number;
  /** Feed-forward width. */
  ffn: number;
  /** Pretraining epochs. */
  epochs: number;
  /** Upper bound of pretraining steps per epoch (default: a full pass). */
  steps_per_epoch?: number;
  /** Pretraining batch size. */
  batch_size: number;
  /** Pretraining peak learning rate. */
  pretrain_lr: number;
  /** Early-stopping patience (epochs). */
  patience: number;
  /** RL algorithm. */
  algo: "ppo" | "a2c";
  /** RL policy: the transformer's pretrained heads ("heads") or a fresh 2x64 MLP ("mlp"). */
  policy: "heads" | "mlp";
  /** What the export step packages: the RL policy when the run has one ("auto"), "rl" or "pretrained". */
  export_policy: "auto" | "rl" | "pretrained";
  /** Walk-forward folds in the evaluate step (0 = off): the policy is retrained before each fold. */
  walk_forward: number;
  /** RL episodes. */
  episodes: number;
  /** RL episode length (decisions). */
  episode_length: number;
  /** RL learning rate (default per algorithm). */
  learning_rate?: number;
  /** Reward: "return" (with drawdown penalty) or "dsr". */
  reward: "return" | "dsr";
  /** Drawdown penalty per bp. */
  drawdown_penalty: number;
  /**
   * Taker fee per leg (bps) used in labels and in the trading engine (RL, evaluation). `deno task
   * train` sets it from the venue's `taker_fee_bps` in config.yaml unless `--fee-bps` is given.
   */
  fee_bps: number;
  /** Maker fee (bps) of the engine's resting fills; `fee_bps` when absent. */
  maker_fee_bps?: number;
  /** Largest position as a fraction of equity (config `trading.max_position_fraction`); engine default when absent. */
  max_position_fraction?: number;
  /** Smallest order notional in the quote asset (config `exchanges.<venue>.min_notional`). */
  min_notional?: number;
  /** Where the fees and sizes came from, in words (printed at the start of the run). */
  costs_source?: string;
  /** Edge model-registry directory the publish step copies the package into. */
  publish_dir?: string;
  /** Edge base URL the publish step uploads to (token in EDGE_PUBLISH_TOKEN). */
  publish_url?: string;
  /**
   * Edge SQLite stores whose experience records (`paper_decisions`) are replayed
   * during RL by self-imitation (trainer/rl/self_imitation.ts); none when absent.
   */
  experience?: string[];
  /** Self-imitation minibatch steps after each PPO/A2C update (default 2). */
  experience_steps?: number;
  /** Encoder checkpoint for RL when the run has no pretrain step. */
  checkpoint?: string;
  /** Seed. */
  seed: number;
}

/** Defaults: the bundled 11-minute BTCUSDT recording, the seed's model, 5 epochs. */
export const DEFAULT_RUN: RunConfig = {
  recordings: [
    new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url).pathname,
    new URL("../../testdata/binance-spot/btcusdt_20240809.gz", import.meta.url).pathname,
  ],
  out_dir: "data/trainer/runs",
  bar_ms: 500,
  venue: "binance",
  window: DEFAULT_MODEL.windowLength,
  d_model: DEFAULT_MODEL.dModel,
  heads: DEFAULT_MODEL.heads,
  layers: DEFAULT_MODEL.layers,
  ffn: DEFAULT_MODEL.ffnWidth,
  epochs: 5,
  batch_size: 16,
  pretrain_lr: 3e-4,
  patience: 3,
  algo: "ppo",
  policy: "heads",
  export_policy: "auto",
  walk_forward: 0,
  episodes: 40,
  episode_length: 64,
  reward: "return",
  drawdown_penalty: 0.5,
  fee_bps: 1,
  seed: 1,
};

/** Steps of each `--mode`. */
export const MODE_STEPS: Record<string, StepName[]> = {
  pipeline: ["dataset", "pretrain", "rl", "evaluate", "export", "publish"],
  pretrain: ["dataset", "pretrain"],
  rl: ["dataset", "rl", "evaluate"],
  export: ["dataset", "pretrain", "export", "publish"],
};
