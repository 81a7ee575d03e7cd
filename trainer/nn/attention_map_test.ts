import assert from "node:assert/strict";
import { seededRandom } from "../../core/random.ts";
import { attentionMap } from "./attention_map.ts";
import { compile, initBackend, keep, keepTree, type Tensor, tensor, toHost } from "./backend.ts";
import type { Params } from "./layers.ts";
import { forward, initParams, positionalTensor, uploadParams } from "./transformer.ts";

await initBackend();
const spec = { featureCount: 3, windowLength: 5, dModel: 8, heads: 2, layers: 2, ffnWidth: 16 };
const rand = seededRandom(4);
const x = Float32Array.from({ length: 15 }, () => rand() * 2 - 1);

Deno.test("attentionMap() returns per-layer, per-head T x T weights whose rows sum to 1", async () => {
  const m = await attentionMap(spec, initParams(spec, 1), x, { time: 1 });
  assert.equal(m.weights.length, 2);
  assert.equal(m.weights[0]?.length, 2);
  assert.equal(m.weights[0]?.[0]?.length, 5);
  for (const layer of m.weights) {
    for (const head of layer) {
      for (const row of head) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    }
  }
});

Deno.test("forward() gives the same heads with and without attention maps (fast last-position path)", async () => {
  const host = initParams(spec, 2);
  const run = async (withMaps: boolean): Promise<Float32Array> => {
    const fn = compile((p: Params, xx: Tensor, pe: Tensor) => {
      const ws: Tensor[] = [];
      const o = forward(spec, p, xx, pe, 1, withMaps ? ws : undefined);
      for (const w of ws) w.dispose();
      o.position_size.dispose();
      o.risk.dispose();
      o.value.dispose();
      o.price.dispose();
      return o.action_logits;
    });
    const p = uploadParams(spec, host);
    const pe = positionalTensor(spec);
    const out = await toHost(fn(keepTree(p), tensor(x, [1, 5, 3]), keep(pe)));
    return out;
  };
  const a = await run(false);
  const b = await run(true);
  a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < 1e-5, `${v} vs ${b[i]}`));
});
