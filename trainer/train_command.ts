/**
 * `deno task train`: enqueues a pipeline run on the local Deno KV queue and
 * processes it in this process (one listener), with a progress bar per step.
 * `--resume` re-enqueues unfinished runs (after a crash) instead of starting one.
 * `deno task train:status` prints job states.
 *
 * @module
 */

import { readConfigFile } from "../infra/config/load_config.ts";
import { numberFlag } from "../infra/cli/flag_values.ts";
import { parseFlags } from "../infra/cli/flags.ts";
import { DEFAULT_KV, TRAIN_OPTIONS, TRAIN_USAGE, type TrainValues } from "./train_flags.ts";
import { UsageError } from "../infra/cli/usage_error.ts";
import { venueCosts } from "./jobs/venue_costs.ts";
import { parseStreamList } from "./data/stream_datasets.ts";
import { validateModelSpec } from "../core/model/model_spec.ts";
import { pipelineHandlers } from "./jobs/pipeline_steps.ts";
import type { RunRecord } from "./jobs/records.ts";
import { DEFAULT_RUN, MODE_STEPS, type RunConfig } from "./jobs/run_config.ts";
import { JobRunner } from "./jobs/runner.ts";
import { statusLines } from "./jobs/status.ts";
import { isVenueId, VENUE_IDS, type VenueId } from "../core/market/instrument.ts";

async function openKv(path: string): Promise<Deno.Kv> {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  return await Deno.openKv(path);
}

function realPath(p: string, what: string): string {
  try {
    return Deno.realPathSync(p);
  } catch (e) {
    throw new RangeError(`Cannot read ${what} ${p}: ${e instanceof Error ? e.message : e}`, {
      cause: e,
    });
  }
}

function num(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) {
    throw new UsageError(`Invalid --${name}: ${v} is not a number`);
  }
  return n;
}

/** A recording file, or the `.gz` recordings of a directory (e.g. a generated market), sorted. */
function recordingFiles(path: string): string[] {
  if (!Deno.statSync(path).isDirectory) return [path];
  const files = [...Deno.readDirSync(path)]
    .filter((e) => e.isFile && e.name.endsWith(".gz"))
    .map((e) => `${path}/${e.name}`)
    .sort();
  if (files.length === 0) throw new RangeError(`Invalid recording directory ${path}: no .gz files`);
  return files;
}

/** Parses `train` options into the mode, KV path and run configuration (costs: see {@linkcode withVenueCosts}). */
export function parseTrainArgs(
  args: string[],
): { mode: string; kv: string; resume: boolean; config: RunConfig; values: TrainValues } {
  const { values, positionals } = parseFlags(args, {
    usage: TRAIN_USAGE,
    allowPositionals: true,
    options: TRAIN_OPTIONS,
  });
  return { ...trainConfigFrom(values, positionals), values };
}

/** The run configuration of parsed `train` flags. */
export function trainConfigFrom(
  values: TrainValues,
  positionals: readonly string[],
): { mode: string; kv: string; resume: boolean; config: RunConfig } {
  if (!(values.mode in MODE_STEPS)) {
    throw new UsageError(
      `Invalid --mode: ${values.mode}; expected ${Object.keys(MODE_STEPS).join(", ")}`,
    );
  }
  if (values.algo !== undefined && values.algo !== "ppo" && values.algo !== "a2c") {
    throw new UsageError(`Invalid --algo: ${values.algo}; expected ppo or a2c`);
  }
  if (values.policy !== undefined && values.policy !== "heads" && values.policy !== "mlp") {
    throw new UsageError(`Invalid --policy: ${values.policy}; expected heads or mlp`);
  }
  const exportPolicy = values["export-policy"];
  if (
    exportPolicy !== undefined && exportPolicy !== "auto" && exportPolicy !== "rl" &&
    exportPolicy !== "pretrained"
  ) {
    throw new UsageError(
      `Invalid --export-policy: ${exportPolicy}; expected auto, rl or pretrained`,
    );
  }
  if (values.reward !== undefined && values.reward !== "return" && values.reward !== "dsr") {
    throw new UsageError(`Invalid --reward: ${values.reward}; expected return or dsr`);
  }
  if (values.venue !== undefined && !isVenueId(values.venue)) {
    throw new UsageError(
      `Invalid --venue: ${values.venue}; expected one of ${VENUE_IDS.join(", ")}`,
    );
  }
  const d = DEFAULT_RUN;
  const config: RunConfig = {
    ...d,
    recordings: positionals.length > 0
      ? positionals.flatMap((p) => recordingFiles(realPath(p, "recording")))
      : d.recordings,
    out_dir: values.out ?? d.out_dir,
    epochs: num(values.epochs, "epochs", d.epochs),
    batch_size: num(values["batch-size"], "batch-size", d.batch_size),
    pretrain_lr: num(values["pretrain-lr"], "pretrain-lr", d.pretrain_lr),
    patience: num(values.patience, "patience", d.patience),
    window: num(values.window, "window", d.window),
    layers: num(values.layers, "layers", d.layers),
    ffn: num(values.ffn, "ffn", d.ffn),
    d_model: num(values["d-model"], "d-model", d.d_model),
    heads: num(values.heads, "heads", d.heads),
    bar_ms: num(values["bar-ms"], "bar-ms", d.bar_ms),
    venue: (values.venue as VenueId | undefined) ?? d.venue,
    algo: (values.algo as "ppo" | "a2c" | undefined) ?? d.algo,
    policy: (values.policy as "heads" | "mlp" | undefined) ?? d.policy,
    export_policy: exportPolicy ?? d.export_policy,
    episodes: num(values.episodes, "episodes", d.episodes),
    walk_forward: num(values["walk-forward"], "walk-forward", d.walk_forward),
    episode_length: num(values["episode-length"], "episode-length", d.episode_length),
    reward: (values.reward as "return" | "dsr" | undefined) ?? d.reward,
    drawdown_penalty: num(values["drawdown-penalty"], "drawdown-penalty", d.drawdown_penalty),
    fee_bps: num(values["fee-bps"], "fee-bps", d.fee_bps),
    seed: num(values.seed, "seed", d.seed),
  };
  validateModelSpec({
    featureCount: 1,
    windowLength: config.window,
    dModel: config.d_model,
    heads: config.heads,
    layers: config.layers,
    ffnWidth: config.ffn,
  });
  if (values["learning-rate"] !== undefined) {
    config.learning_rate = num(values["learning-rate"], "learning-rate", 0);
  }
  if (values["steps-per-epoch"] !== undefined) {
    config.steps_per_epoch = num(values["steps-per-epoch"], "steps-per-epoch", 0);
  }
  if (values.streams !== undefined) {
    config.streams = values.streams.split(",");
    parseStreamList(config.streams); // fails here, naming the bad entry
  }
  if (values["stream-input"] === true) {
    if ((config.streams?.length ?? 0) < 2) {
      throw new RangeError("Invalid --stream-input: it needs --streams with two or more streams");
    }
    config.stream_input = true;
  }
  if (values["publish-dir"] !== undefined) config.publish_dir = values["publish-dir"];
  if (values["publish-url"] !== undefined) config.publish_url = values["publish-url"];
  if (values.checkpoint !== undefined) {
    config.checkpoint = realPath(values.checkpoint, "checkpoint");
  }
  if (values.experience !== undefined) {
    if (!MODE_STEPS[values.mode]?.includes("rl")) {
      throw new UsageError(
        `Invalid --experience with --mode ${values.mode}: only the rl step replays experience`,
      );
    }
    if (config.reward !== "return") {
      throw new UsageError(
        "Invalid --experience with --reward dsr: recorded decisions are priced as returns (use --reward return)",
      );
    }
    config.experience = values.experience.map((p) => realPath(p, "experience store"));
  }
  if (values["experience-steps"] !== undefined) {
    const n = num(values["experience-steps"], "experience-steps", 0);
    if (!Number.isInteger(n) || n < 0) {
      throw new UsageError(`Invalid --experience-steps: ${n}; expected a whole number ≥ 0`);
    }
    config.experience_steps = n;
  }
  return { mode: values.mode, kv: values.kv, resume: values.resume, config };
}

/**
 * Sets the run's fees and sizes from the venue's configuration unless the command line gave
 * them (`--fee-bps`, `--max-position-fraction`), and says which were used.
 *
 * @param config The run configuration (its venue).
 * @param values The parsed flags.
 * @param symbol The traded symbol (default BTC/USDT, the bundled recordings').
 * @throws {ConfigError} When the configuration cannot be read and no `--fee-bps` was given.
 */
export async function withVenueCosts(
  config: RunConfig,
  values: TrainValues,
  symbol = "BTC/USDT",
): Promise<RunConfig> {
  const fraction = values["max-position-fraction"];
  const costs = venueCosts(
    await readConfigFile(values.config),
    values.config,
    config.venue,
    symbol,
    {
      ...(values["fee-bps"] !== undefined ? { feeBps: config.fee_bps } : {}),
      ...(fraction !== undefined
        ? {
          maxPositionFraction: numberFlag(fraction, "max-position-fraction", 0, { min: 0, max: 1 }),
        }
        : {}),
    },
  );
  return { ...config, ...costs };
}

/** Runs `train`; returns the process exit code. */
export async function trainCommand(args: string[]): Promise<number> {
  const parsed = parseTrainArgs(args);
  const { mode, kv: kvPath, resume } = parsed;
  const config = resume ? parsed.config : await withVenueCosts(parsed.config, parsed.values);
  if (!resume) console.error(`costs: ${config.costs_source}`);
  const kv = await openKv(kvPath);
  const runner = new JobRunner({
    kv,
    handlers: pipelineHandlers(true),
    log: (l) => console.error(l),
  });
  const listening = runner.listen();
  let runIds: string[];
  if (resume) {
    const n = await runner.recover(true);
    runIds = [];
    for await (const e of kv.list<RunRecord>({ prefix: ["trainer", "runs"] })) {
      if (e.value.status === "running") runIds.push(e.value.run_id);
    }
    console.error(`resume: ${n} step(s) re-enqueued for ${runIds.length} run(s)`);
  } else {
    runIds = [
      await runner.createRun(MODE_STEPS[mode] ?? [], { ...config } as Record<string, unknown>),
    ];
    console.error(`run ${runIds[0]} enqueued: ${(MODE_STEPS[mode] ?? []).join(" -> ")}`);
  }
  let code = 0;
  for (const id of runIds) {
    const run = await runner.waitForRun(id, 250);
    if (run.status === "failed") code = 1;
  }
  for (const l of await statusLines(kv, Math.max(1, runIds.length))) console.log(l);
  kv.close();
  await listening;
  return code;
}

/** Runs `train:status`. */
export async function statusCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    name: "status",
    options: { kv: { type: "string", default: DEFAULT_KV, help: "the job queue" } },
  });
  const kv = await openKv(values.kv);
  for (const l of await statusLines(kv)) console.log(l);
  kv.close();
  return 0;
}
