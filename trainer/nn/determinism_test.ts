import assert from "node:assert/strict";
import { seededRandom } from "../../core/random.ts";
import { adamInit, adamStepSize, DEFAULT_ADAM } from "./adam.ts";
import { initBackend, keep, tensor } from "./backend.ts";
import { DEFAULT_TASK_WEIGHTS } from "./losses.ts";
import { makeTrainStep } from "./train_step.ts";
import { downloadParams, initParams, positionalTensor, uploadParams } from "./transformer.ts";

await initBackend();
const spec = { featureCount: 5, windowLength: 8, dModel: 16, heads: 2, layers: 2, ffnWidth: 32 };
const B = 4;

async function run(seed: number): Promise<Float32Array[]> {
  const rand = seededRandom(seed + 1000);
  let params = uploadParams(spec, initParams(spec, seed));
  let state = adamInit(params);
  const pe = positionalTensor(spec);
  const step = makeTrainStep(spec, B, DEFAULT_TASK_WEIGHTS, DEFAULT_ADAM);
  for (let i = 1; i <= 3; i++) {
    const x = Float32Array.from({ length: B * 8 * 5 }, () => rand() * 2 - 1);
    const action = new Float32Array(B * 3);
    for (let b = 0; b < B; b++) action[b * 3 + Math.floor(rand() * 3)] = 1;
    const y = {
      price: tensor(Float32Array.from({ length: B * 3 }, () => rand() - 0.5), [B, 3]),
      action: tensor(action, [B, 3]),
      size: tensor(Float32Array.from({ length: B }, () => rand()), [B, 1]),
      risk: tensor(Float32Array.from({ length: B }, () => (rand() < 0.5 ? 0 : 1)), [B, 1]),
    };
    const r = step(
      params,
      state,
      tensor(x, [B, 8, 5]),
      keep(pe),
      y,
      adamStepSize(DEFAULT_ADAM, 1e-3, i),
    );
    params = r.params;
    state = r.state;
    r.loss.dispose();
    r.parts.dispose();
    r.gradNorm.dispose();
  }
  pe.dispose();
  return [...(await downloadParams(spec, params)).values()];
}

Deno.test("training is bit-for-bit deterministic for a fixed seed", async () => {
  const a = await run(7);
  const b = await run(7);
  const c = await run(8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const init = [...initParams(spec, 7).values()];
  assert.notDeepEqual(a, init, "three steps moved the parameters");
});
