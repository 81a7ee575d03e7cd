/**
 * End to end: the edge's paper trader replays a recording into its SQLite
 * store (a separate process, as on a Pi), then the trainer's "rl" step on the
 * same recording replays those experience records by self-imitation.
 */
import assert from "node:assert/strict";
import { loadPolicy } from "./artifacts.ts";
import { pipelineHandlers } from "./pipeline_steps.ts";
import type { RunRecord, StepName } from "./records.ts";
import type { ExperienceReport } from "./rl_training.ts";
import { DEFAULT_RUN, type RunConfig } from "./run_config.ts";
import type { StepContext } from "./runner.ts";

const root = new URL("../../", import.meta.url);
const RECORDING = new URL("testdata/binance-spot/btcusdt_20240808.gz", root).pathname;

async function edgeStore(path: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("edge/main.ts", root).pathname,
      "trade",
      "--replay",
      RECORDING,
      "--store",
      path,
      "--strategy",
      "imbalance",
      "--config",
      new URL("config.yaml", root).pathname,
      "--json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

async function runSteps(cfg: RunConfig, id: string, steps: StepName[]) {
  const handlers = pipelineHandlers(false);
  const run: RunRecord = {
    run_id: id,
    created_at: 0,
    steps,
    config: cfg as unknown as Record<string, unknown>,
    status: "running",
    updated_at: 0,
  };
  const results: unknown[] = [];
  for (const step of steps) {
    const ctx: StepContext = { run, step, attempt: 1, report: () => Promise.resolve() };
    results.push(await handlers[step](ctx));
  }
  return results;
}

Deno.test("the rl step replays the paper trader's experience records from its store", async () => {
  const dir = await Deno.makeTempDir();
  await edgeStore(`${dir}/edge.db`);
  const base: RunConfig = {
    ...DEFAULT_RUN,
    recordings: [RECORDING],
    out_dir: dir,
    window: 8,
    d_model: 16,
    heads: 2,
    layers: 1,
    ffn: 32,
    episodes: 8,
    episode_length: 64,
    seed: 3,
  };
  const [, withExp] = await runSteps(
    { ...base, experience: [`${dir}/edge.db`] },
    "with",
    ["dataset", "rl"],
  ) as [unknown, { experience: ExperienceReport }];
  const e = withExp.experience;
  assert.ok(e.read > 100, `records of the stream: ${e.read}`);
  assert.ok(e.used > 50, `replayed at training decision points: ${e.used}`);
  assert.ok(
    (e.skipped["not at a training decision point"] ?? 0) > 0,
    `records in the held-out splits are left out: ${JSON.stringify(e.skipped)}`,
  );
  const ds = JSON.parse(await Deno.readTextFile(`${dir}/with/dataset.json`)) as {
    times: number[];
    splits: { train: number[] };
  };
  const lastTrain = ds.times[ds.splits.train.at(-1) as number] as number;
  assert.ok(
    (e.used_until as number) < lastTrain + base.bar_ms,
    `no replayed record or its horizon reaches past the training split: ${e.used_until} vs ${lastTrain}`,
  );
  assert.ok(
    (e.outcome_check_bps as number) < 0.01,
    `records sit where their recorded outcome matches the market: ${e.outcome_check_bps} bps`,
  );
  assert.ok(e.replay_steps > 0, "self-imitation steps ran");
  await runSteps(base, "without", ["dataset", "rl"]);
  const a = await loadPolicy(`${dir}/with/rl_policy.ckpt`);
  const b = await loadPolicy(`${dir}/without/rl_policy.ckpt`);
  const w = "heads.action_logits.w";
  assert.notDeepEqual(a.get(w)?.data, b.get(w)?.data, "the replay changed the policy");
});
