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
import { initHeadPolicy } from "./policy.ts";
import { initParams } from "../nn/transformer.ts";

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

Deno.test("PPO fine-tunes the transformer's own heads (heads policy) to solve the match environment", async () => {
  // the observation is [z (3), position fraction]; z is the one-hot target here
  class WithPosition implements Env {
    readonly obsSize = 4;
    readonly choices = 3;
    readonly #inner = new MatchEnv();
    #wrap(o: Float32Array): Float32Array {
      const out = new Float32Array(4);
      out.set(o);
      return out;
    }
    reset(): Float32Array {
      return this.#wrap(this.#inner.reset());
    }
    step(a: { choice: number; u: number }) {
      const s = this.#inner.step(a);
      return { ...s, obs: this.#wrap(s.obs) };
    }
  }
  const spec = { featureCount: 1, windowLength: 1, dModel: 3, heads: 1, layers: 0, ffnWidth: 1 };
  const init = initHeadPolicy(initParams(spec, 4), 3);
  const cfg: RlConfig = {
    ...PPO_DEFAULTS,
    nSteps: 48,
    totalSteps: 4800,
    learningRate: 1e-2,
    gamma: 0.5,
  };
  const log: UpdateStats[] = [];
  const out = await trainRl(
    Array.from({ length: cfg.numEnvs }, () => new WithPosition()),
    cfg,
    { onUpdate: (s) => void log.push(s) },
    init,
  );
  assert.ok(lateMean(log, 5) > 11, `late mean return ${lateMean(log, 5)} of 12`);
  assert.notDeepEqual(
    out.get("heads.action_logits.w")?.data,
    init.get("heads.action_logits.w")?.data,
  );
  assert.deepEqual(
    [...out.keys()].sort(),
    [...init.keys()].sort(),
    "the policy is the heads, nothing else",
  );
});
