import { INT8_WEIGHT_RANGE } from "../../core/model/int8_scheme.ts";

/** Symmetric per-column int8 weights and their scales. */
export interface QuantizedColumns {
  /** Row-major `[rows, cols]` int8 values in -range..range. */
  readonly values: Int8Array;
  /** Scale per column: weight ≈ value × scale. */
  readonly scales: Float32Array;
}

/**
 * Quantizes a row-major `[rows, cols]` weight matrix to int8, symmetric per output
 * column (zero point 0), with values limited to -range..range: by default
 * {@linkcode INT8_WEIGHT_RANGE} (63, 7 bits), so that ONNX Runtime's u8s8 kernel on
 * x86 CPUs without VNNI cannot saturate (core/model/int8_scheme.ts). `range` 127 is
 * the former full-range scheme, kept for comparisons.
 *
 * @example Round trip within half a step
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantizeColumnsInt8 } from "./quantize_int8.ts";
 * const { values, scales } = quantizeColumnsInt8(new Float32Array([0.5, -1, 0.25, 2]), 2, 2);
 * assert.equal(values[1], -31); // -1 / (2 / 63) = -31.5, rounded half up
 * assert.equal(values[3], 63);
 * assert.ok(Math.abs(values[3]! * scales[1]! - 2) < 1e-6);
 * ```
 * @throws {RangeError} When the sizes disagree or `range` is not an integer in 1..127.
 */
export function quantizeColumnsInt8(
  w: Float32Array,
  rows: number,
  cols: number,
  range: number = INT8_WEIGHT_RANGE,
): QuantizedColumns {
  if (w.length !== rows * cols) {
    throw new RangeError(`Cannot quantize: ${w.length} values do not fill [${rows}, ${cols}]`);
  }
  if (!Number.isInteger(range) || range < 1 || range > 127) {
    throw new RangeError(
      `Cannot quantize: weight range must be an integer in 1..127, got ${range}`,
    );
  }
  const scales = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let max = 0;
    for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(w[r * cols + c] as number));
    scales[c] = max === 0 ? 1 : max / range;
  }
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const q = Math.round((w[r * cols + c] as number) / (scales[c] as number));
      values[r * cols + c] = Math.max(-range, Math.min(range, q));
    }
  }
  return { values, scales };
}
