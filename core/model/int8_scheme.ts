/**
 * The INT8 quantization scheme of exported models, and how a package's INT8
 * file is judged against it.
 *
 * Every weight matmul is DynamicQuantizeLinear (uint8 activations, one scale and
 * zero point per tensor) → MatMulInteger (uint8 × int8 → int32) → Cast → Mul by
 * both scales. Weights are symmetric per output column and limited to -63..63
 * (7 bits, ONNX Runtime's `reduce_range`): on x86 CPUs without VNNI, ONNX
 * Runtime's u8s8 kernel adds pairs of uint8 × int8 products into int16 with
 * saturation (`vpmaddubsw`), and 2 × 255 × 63 = 32,130 ≤ 32,767 cannot saturate,
 * whereas 2 × 255 × 127 = 64,770 can. With no saturation possible the int32
 * accumulators are exact on every kernel (AVX2, AVX-512 and AVX-VNNI, ARM64
 * NEON, WASM SIMD), so INT8 outputs agree across CPUs up to the float ops
 * around the integer matmul.
 *
 * @module
 */

/** Largest |weight| of the current scheme (2 × 255 × 63 ≤ 32,767). */
export const INT8_WEIGHT_RANGE = 63;

/** The manifest's `quantization` entry of packages written by the current exporter. */
export const INT8_SCHEME = Object.freeze(
  {
    scheme: "dynamic-u8s8-w7",
    activations: "uint8 per tensor, dynamic (DynamicQuantizeLinear)",
    weights: "int8 symmetric per output column",
    weight_range: INT8_WEIGHT_RANGE,
  } as const,
);

/** Largest |weight| for which a uint8 × int8 pair sum fits in int16 (⌊32767 / 510⌋). */
export const INT16_PAIR_SAFE_RANGE = Math.floor(32767 / (2 * 255));

/** What a manifest says about its INT8 file. */
export interface Int8SchemeInfo {
  /** `quantization` of the manifest, absent in packages written before the scheme was recorded. */
  readonly quantization?: { readonly scheme: string; readonly weight_range: number } | undefined;
  /** Whether the package has an INT8 file at all. */
  readonly hasInt8: boolean;
}

/** A package's INT8 file judged against the scheme. */
export interface Int8Assessment {
  /** "exact": integer results equal on every CPU; "legacy": may saturate on x86 without VNNI; "none": no INT8 file. */
  readonly status: "exact" | "legacy" | "none";
  /** The weight range the manifest declares (undefined: not recorded). */
  readonly weightRange?: number;
  /** One line for `infer --test` and `status`. */
  readonly note: string;
}

/**
 * Judges a package's INT8 file by its manifest: a recorded weight range that fits
 * the int16 pair sum is exact on every CPU; no record (packages exported before
 * the scheme was recorded used -127..127) or a wider range is "legacy".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { assessInt8, INT8_SCHEME } from "./int8_scheme.ts";
 * assert.equal(assessInt8({ hasInt8: true, quantization: INT8_SCHEME }).status, "exact");
 * assert.equal(assessInt8({ hasInt8: true }).status, "legacy");
 * ```
 */
export function assessInt8(info: Int8SchemeInfo): Int8Assessment {
  if (!info.hasInt8) return { status: "none", note: "no INT8 file" };
  const q = info.quantization;
  if (q !== undefined && q.weight_range <= INT16_PAIR_SAFE_RANGE) {
    return {
      status: "exact",
      weightRange: q.weight_range,
      note:
        `INT8 ${q.scheme}, weights within ±${q.weight_range}: exact integer matmuls on every CPU`,
    };
  }
  const range = q === undefined ? "not recorded (full -127..127)" : `±${q.weight_range}`;
  return {
    status: "legacy",
    ...(q !== undefined ? { weightRange: q.weight_range } : {}),
    note: `INT8 weight range ${range}: exact in this edge's WASM runtime, but onnxruntime-node ` +
      `on x86 CPUs without VNNI saturates and can change decisions; re-export the model ` +
      `with the current trainer (deno task export)`,
  };
}
