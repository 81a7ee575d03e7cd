import assert from "node:assert/strict";
import { initBackend } from "../nn/backend.ts";
import type { Env } from "./env.ts";
import {
  A2C_DEFAULTS,
  PPO_DEFAULTS,
  type RlConfig,
  type RlState,
  trainRl,
  type UpdateStats,
} from "./ppo.ts";
import { ChainEnv, MatchEnv } from "./tiny_envs.ts";

await initBackend();

async function train(make: () => Env, cfg: RlConfig): Promise<UpdateStats[]> {
  const log: UpdateStats[] = [];
  await trainRl(Array.from({ length: cfg.numEnvs }, make), cfg, {
    onUpdate: (s) => void log.push(s),
  });
  return log;
}

function lateMean(log: UpdateStats[], k: number): number {
  const r = log.slice(-k).map((s) => s.mean_return).filter(Number.isFinite);
  return r.reduce((a, b) => a + b, 0) / r.length;
}

Deno.test("PPO solves the deterministic match environment", async () => {
  const log = await train(() => new MatchEnv(), {
    ...PPO_DEFAULTS,
    nSteps: 48,
    totalSteps: 4800,
    learningRate: 3e-3,
    gamma: 0.5,
  });
  assert.ok(lateMean(log, 5) > 11, `late mean return ${lateMean(log, 5)} of 12`);
});

Deno.test("A2C solves the deterministic match environment", async () => {
  const log = await train(() => new MatchEnv(), {
    ...A2C_DEFAULTS,
    totalSteps: 4800,
    learningRate: 3e-3,
    gamma: 0.5,
  });
  assert.ok(lateMean(log, 40) > 11, `late mean return ${lateMean(log, 40)} of 12`);
});

Deno.test("PPO learns the chain environment (multi-step credit assignment)", async () => {
  const log = await train(() => new ChainEnv(6), {
    ...PPO_DEFAULTS,
    nSteps: 64,
    totalSteps: 12800,
    learningRate: 3e-3,
  });
  // optimal: 5 steps, return 1 - 4 * 0.01 = 0.96
  assert.ok(lateMean(log, 5) > 0.9, `late mean return ${lateMean(log, 5)}`);
});

Deno.test("trainRl() resumes from a checkpointed update after a crash and still solves the task", async () => {
  const cfg: RlConfig = {
    ...PPO_DEFAULTS,
    nSteps: 48,
    totalSteps: 4800,
    learningRate: 3e-3,
    gamma: 0.5,
  };
  const envs = () => Array.from({ length: cfg.numEnvs }, () => new MatchEnv());
  let saved: RlState | undefined;
  await assert.rejects(() =>
    trainRl(envs(), cfg, {
      checkpointEvery: 3,
      onCheckpoint: (s) => {
        saved = s;
        throw new Error("simulated crash");
      },
    }), /simulated crash/);
  assert.equal(saved?.update, 3);
  const log: UpdateStats[] = [];
  await trainRl(envs(), cfg, { onUpdate: (s) => void log.push(s) }, undefined, saved);
  assert.equal(log[0]?.steps, 4 * cfg.numEnvs * cfg.nSteps, "continues with update 4");
  assert.ok(lateMean(log, 5) > 11, `late mean return ${lateMean(log, 5)} of 12`);
});
