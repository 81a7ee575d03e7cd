/**
 * The trainer's forward pass and the export module's float64 reference (the
 * ground truth of the ONNX parity tests) must agree, or an exported model
 * would not behave like the trained one.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../../core/random.ts";
import { referenceForward } from "../export/reference_forward.ts";
import { compile, initBackend, ops, type Tensor, tensor, toHost } from "./backend.ts";
import type { Params } from "./layers.ts";
import { forward, initParams, positionalTensor, uploadParams } from "./transformer.ts";

await initBackend();

Deno.test("forward() agrees with the export module's reference forward (all heads)", async () => {
  const spec = { featureCount: 5, windowLength: 6, dModel: 8, heads: 2, layers: 2, ffnWidth: 16 };
  const host = initParams(spec, 11);
  const rand = seededRandom(5);
  const x = Float32Array.from({ length: 6 * 5 }, () => rand() * 2 - 1);
  const fn = compile((p: Params, xx: Tensor, pe: Tensor) => {
    const o = forward(spec, p, xx, pe, 1);
    return ops.concat([
      o.price,
      o.action_logits,
      ops.sigmoid(o.position_size),
      ops.sigmoid(o.risk),
      o.value,
    ], 1);
  });
  const ours = await toHost(
    fn(uploadParams(spec, host), tensor(x, [1, 6, 5]), positionalTensor(spec)),
  );
  const rows = Array.from({ length: 6 }, (_, t) => Array.from(x.subarray(t * 5, (t + 1) * 5)));
  const ref = referenceForward({ spec, params: host }, rows);
  const theirs = [...ref.price, ...ref.actionLogits, ref.position, ref.risk, ref.value];
  theirs.forEach((v, i) =>
    assert.ok(
      Math.abs(v - (ours[i] as number)) < 1e-4,
      `output ${i}: export ${v} vs trainer ${ours[i]}`,
    )
  );
});
