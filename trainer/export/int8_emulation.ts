/**
 * A plain TypeScript emulation of the exported INT8 graph, with two integer
 * kernels for MatMulInteger (uint8 activations × int8 weights):
 *
 * - "exact": int32 sums of the products, what VNNI (`vpdpbusd`), ARM64 and the
 *   WASM SIMD build compute;
 * - "avx2_u8s8": ONNX Runtime's u8s8 kernel on x86 CPUs without VNNI, which
 *   multiplies with `vpmaddubsw`: adjacent pairs of uint8 × int8 products are
 *   added into int16 **with saturation**, then summed into int32 (the activation
 *   zero point is subtracted afterwards through the weights' column sums).
 *
 * The graph around the matmul is emulated as exported (encoder_onnx.ts):
 * DynamicQuantizeLinear per tensor, per-column symmetric weights, Cast, Mul by
 * both scales, Add bias; the rest is the float64 reference forward. Used by
 * tests to show without an AVX2-only CPU that the scheme cannot saturate.
 *
 * @module
 */
import type { ModelWeights } from "../../core/model/model_weights.ts";
import { quantizeColumnsInt8 } from "./quantize_int8.ts";
import { referenceForward, type ReferenceOutputs } from "./reference_forward.ts";

/** Integer kernel of MatMulInteger. */
export type IntKernel = "exact" | "avx2_u8s8";

/** Saturation counts of an emulated forward. */
export interface KernelStats {
  /** MatMulInteger calls. */
  matmuls: number;
  /** int16 pair sums formed. */
  pairs: number;
  /** Pair sums that saturated (avx2_u8s8 only). */
  saturated: number;
  /** Largest |pair sum| before saturation. */
  maxPairSum: number;
}

/** A tensor quantized by DynamicQuantizeLinear. */
export interface DynamicQuantized {
  /** uint8 values, row-major. */
  q: Uint8Array;
  /** Scale (float32). */
  scale: number;
  /** Zero point. */
  zeroPoint: number;
}

const f32 = Math.fround;

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** ONNX DynamicQuantizeLinear over a whole tensor (rows of x), in float32 arithmetic. */
export function dynamicQuantize(x: readonly (readonly number[])[]): DynamicQuantized {
  let min = 0;
  let max = 0;
  for (const row of x) {
    for (const v of row) {
      const u = f32(v);
      if (u < min) min = u;
      if (u > max) max = u;
    }
  }
  const scale = f32(f32(max - min) / 255);
  const zeroPoint = scale === 0 ? 0 : Math.max(0, Math.min(255, roundHalfEven(f32(-min / scale))));
  const q = new Uint8Array(x.length * (x[0]?.length ?? 0));
  let i = 0;
  for (const row of x) {
    for (const v of row) {
      const r = scale === 0 ? 0 : roundHalfEven(f32(f32(v) / scale));
      q[i++] = Math.max(0, Math.min(255, r + zeroPoint));
    }
  }
  return { q, scale, zeroPoint };
}

/**
 * MatMulInteger of `a` `[M, K]` (uint8, zero point `za`) by `b` `[K, N]` (int8,
 * zero point 0) with the given kernel; counts pair sums and saturations in `stats`.
 */
export function matMulInteger(
  a: Uint8Array,
  za: number,
  b: Int8Array,
  dims: { M: number; K: number; N: number },
  kernel: IntKernel,
  stats: KernelStats,
): Int32Array {
  const { M, K, N } = dims;
  const y = new Int32Array(M * N);
  stats.matmuls++;
  for (let n = 0; n < N; n++) {
    let colSum = 0;
    for (let k = 0; k < K; k++) colSum += b[k * N + n] as number;
    for (let m = 0; m < M; m++) {
      let acc = 0;
      for (let k = 0; k < K; k += 2) {
        const p0 = (a[m * K + k] as number) * (b[k * N + n] as number);
        const p1 = k + 1 < K ? (a[m * K + k + 1] as number) * (b[(k + 1) * N + n] as number) : 0;
        let s = p0 + p1;
        stats.pairs++;
        stats.maxPairSum = Math.max(stats.maxPairSum, Math.abs(s));
        if (kernel === "avx2_u8s8" && (s > 32767 || s < -32768)) {
          stats.saturated++;
          s = s > 0 ? 32767 : -32768;
        }
        acc += s;
      }
      y[m * N + n] = acc - za * colSum;
    }
  }
  return y;
}

/**
 * The INT8 graph's forward pass for one window with weights quantized to
 * ±`weightRange` and the given integer kernel.
 */
export function int8Forward(
  w: ModelWeights,
  x: readonly (readonly number[])[],
  options: { weightRange: number; kernel: IntKernel; stats: KernelStats },
): ReferenceOutputs {
  const cache = new Map<Float32Array, ReturnType<typeof quantizeColumnsInt8>>();
  return referenceForward(w, x, {
    linear: (rows, wm, bias, out) => {
      const K = rows[0]?.length ?? 0;
      let qw = cache.get(wm);
      if (!qw) {
        qw = quantizeColumnsInt8(wm, K, out, options.weightRange);
        cache.set(wm, qw);
      }
      const qx = dynamicQuantize(rows);
      const acc = matMulInteger(
        qx.q,
        qx.zeroPoint,
        qw.values,
        {
          M: rows.length,
          K,
          N: out,
        },
        options.kernel,
        options.stats,
      );
      return rows.map((_, m) =>
        Array.from({ length: out }, (_, n) => {
          const v = f32(f32(f32(acc[m * out + n] as number) * qx.scale) * (qw.scales[n] as number));
          return f32(v + (bias[n] as number));
        })
      );
    },
  });
}

/** Fresh {@linkcode KernelStats}. */
export function kernelStats(): KernelStats {
  return { matmuls: 0, pairs: 0, saturated: 0, maxPairSum: 0 };
}
