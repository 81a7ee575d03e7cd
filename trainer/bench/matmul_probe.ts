/**
 * Where the wasm backend is the limit: the floating-point work of one
 * training step (from the shapes) and the GFLOP/s the step reaches, against
 * the GFLOP/s of bare jitted matmuls of the model's largest shapes, and the
 * cost of a near-empty kernel (one add on a small tensor, the per-dispatch
 * round trip). A full step far below the matmul figure is limited by the
 * many small kernels between the matmuls, not by the multiply-adds.
 *
 * @module
 */

import {
  compile,
  initBackend,
  keep as keepT,
  ops,
  type Tensor,
  tensor,
  toHost,
} from "../nn/backend.ts";
import type { ThroughputOptions } from "./throughput.ts";

/** FLOPs of one forward + backward training step (2 per multiply-add; backward = 2 × forward). */
export function trainStepFlops(o: ThroughputOptions, dModel = 128): number {
  const t = o.seq, d = dModel;
  const perLayer = 4 * t * d * d + 2 * t * t * d + 2 * t * d * o.ff;
  const macs = o.batch * (t * o.features * d + o.layers * perLayer);
  return 3 * 2 * macs;
}

/** Probe results. */
export interface ProbeResult {
  /** GFLOP/s of a jitted [B·T, d] × [d, FF] matmul. */
  matmul_gflops: number;
  /** Milliseconds of one tiny jitted kernel including the host read (dispatch round trip). */
  tiny_kernel_ms: number;
}

async function timeMs(run: () => Promise<void>, reps: number): Promise<number> {
  await run();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await run();
  return (performance.now() - t0) / reps;
}

/** Runs the probe on the bench shapes. */
export async function probeBackend(o: ThroughputOptions, dModel = 128): Promise<ProbeResult> {
  await initBackend();
  const m = o.batch * o.seq;
  const a = Float32Array.from({ length: m * dModel }, (_, i) => (i % 7) / 7 - 0.5);
  const b = Float32Array.from({ length: dModel * o.ff }, (_, i) => (i % 5) / 5 - 0.5);
  // summed inside the program so only one number comes back to the host
  const mm = compile((x: Tensor, w: Tensor) => ops.sum(ops.matmul(x, w)));
  const xIn = keepT(tensor(a, [m, dModel]));
  const wIn = keepT(tensor(b, [dModel, o.ff]));
  const mmMs = await timeMs(async () => {
    await toHost(mm(keepT(xIn), keepT(wIn)));
  }, 10);
  const tiny = compile((x: Tensor) => ops.add(x, 1));
  const tinyMs = await timeMs(async () => {
    await toHost(tiny(tensor(new Float32Array(16), [16])));
  }, 50);
  return {
    matmul_gflops: Math.round(2 * m * dModel * o.ff / mmMs / 1e6 * 10) / 10,
    tiny_kernel_ms: Math.round(tinyMs * 1000) / 1000,
  };
}
