/**
 * The trainer's policy forward (trainer/rl/policy.ts, jax-js) and the export
 * module's float64 policy reference (the ground truth of the RL export's
 * parity check) must agree for both policy kinds, position terms included.
 */
import assert from "node:assert/strict";
import { compile, initBackend, type Tensor, tensor, toHost } from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import { policyForward, uploadPolicy } from "../rl/policy.ts";
import { referencePolicy } from "./reference_policy.ts";
import { seededPolicy, seededWeights } from "./test_weights.ts";

await initBackend();

const SPEC = { featureCount: 4, windowLength: 5, dModel: 8, heads: 2, layers: 1, ffnWidth: 16 };

for (const network of ["heads", "mlp"] as const) {
  Deno.test(`referencePolicy() ${network} agrees with the trainer's policyForward()`, async () => {
    const w = seededWeights(SPEC, 2);
    const policy = seededPolicy(w, network, 3);
    const fn = compile((p: Params, o: Tensor) => policyForward(p, o));
    const z = Array.from({ length: 8 }, (_, i) => Math.sin(i + 1));
    const positions = [0, 0.1, 0.25];
    const obs = Float32Array.from(positions.flatMap((pos) => [...z, pos]));
    const out = fn(uploadPolicy(policy), tensor(obs, [positions.length, 9]));
    const logp = await toHost(out.logp);
    const mean = await toHost(out.mean);
    const value = await toHost(out.value);
    out.logStd.dispose();
    positions.forEach((pos, k) => {
      const r = referencePolicy(policy, z, pos);
      const lse = Math.log(r.logits.reduce((a, v) => a + Math.exp(v), 0));
      r.logits.forEach((v, i) => {
        const ours = logp[k * 3 + i] as number;
        assert.ok(Math.abs(v - lse - ours) < 1e-4, `logp ${i} at ${pos}: ${v - lse} vs ${ours}`);
      });
      assert.ok(Math.abs(r.sizeMean - (mean[k] as number)) < 1e-4, `mean at ${pos}`);
      assert.ok(Math.abs(r.value - (value[k] as number)) < 1e-4, `value at ${pos}`);
    });
    // the position terms are not zero, so the outputs move with the position
    const moved = [0, 1, 2].map((i) => Math.abs((logp[6 + i] as number) - (logp[i] as number)));
    moved.push(Math.abs((mean[2] as number) - (mean[0] as number)));
    assert.ok(Math.max(...moved) > 0.01, `${moved}`);
  });
}
