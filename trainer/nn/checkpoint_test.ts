import assert from "node:assert/strict";
import {
  CheckpointError,
  type CheckpointMeta,
  decodeCheckpoint,
  encodeCheckpoint,
} from "./checkpoint.ts";

const meta: CheckpointMeta = {
  model_spec: { featureCount: 2, windowLength: 4, dModel: 8, heads: 2, layers: 1, ffnWidth: 16 },
  feature_spec_hash: "abc123",
  feature_names: ["a", "b"],
  normalization: { spec_hash: "abc123", mean: [0.5, -1], std: [2, 3], count: [10, 10] },
  training_config: { lr: 0.001 },
  progress: { phase: "pretrain", epoch: 2 },
};
const tensors = new Map([
  ["w", { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
  ["b", { shape: [3], data: Float32Array.from([-1, 0.5, 1e-7]) }],
]);

Deno.test("encodeCheckpoint() and decodeCheckpoint() round-trip header and tensors", () => {
  const bytes = encodeCheckpoint(meta, tensors);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 8)), "TMLCKPT1");
  const c = decodeCheckpoint(bytes);
  assert.deepEqual(c.header.normalization, meta.normalization);
  assert.deepEqual(c.header.model_spec, meta.model_spec);
  assert.deepEqual([...c.header.tensors.map((t) => t.name)], ["w", "b"]);
  assert.deepEqual(c.tensors.get("w"), tensors.get("w")?.data);
  assert.deepEqual(c.tensors.get("b"), tensors.get("b")?.data);
});

Deno.test("decodeCheckpoint() rejects bad magic, truncation and flipped data bits", () => {
  const bytes = encodeCheckpoint(meta, tensors);
  assert.throws(() => decodeCheckpoint(new Uint8Array(20)), CheckpointError);
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4)), /expected \d+ bytes/);
  const flipped = bytes.slice();
  flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 0x10;
  assert.throws(() => decodeCheckpoint(flipped, "x.ckpt"), /x\.ckpt: data hash mismatch/);
});

Deno.test("encodeCheckpoint() rejects a tensor whose data does not fit its shape", () => {
  const bad = new Map([["w", { shape: [2, 2], data: new Float32Array(3) }]]);
  assert.throws(() => encodeCheckpoint(meta, bad), RangeError);
});
