/** Symmetric per-column int8 weights and their scales. */
export interface QuantizedColumns {
  /** Row-major `[rows, cols]` int8 values in -127..127. */
  readonly values: Int8Array;
  /** Scale per column: weight ≈ value × scale. */
  readonly scales: Float32Array;
}

/**
 * Quantizes a row-major `[rows, cols]` weight matrix to int8, symmetric per output
 * column (zero point 0), as ONNX Runtime's dynamic quantization does for MatMul weights.
 *
 * @example Round trip within half a step
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantizeColumnsInt8 } from "./quantize_int8.ts";
 * const { values, scales } = quantizeColumnsInt8(new Float32Array([0.5, -1, 0.25, 2]), 2, 2);
 * assert.equal(values[1], -64);
 * assert.ok(Math.abs(values[3]! * scales[1]! - 2) < 1e-6);
 * ```
 */
export function quantizeColumnsInt8(w: Float32Array, rows: number, cols: number): QuantizedColumns {
  if (w.length !== rows * cols) {
    throw new RangeError(`Cannot quantize: ${w.length} values do not fill [${rows}, ${cols}]`);
  }
  const scales = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let max = 0;
    for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(w[r * cols + c] as number));
    scales[c] = max === 0 ? 1 : max / 127;
  }
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const q = Math.round((w[r * cols + c] as number) / (scales[c] as number));
      values[r * cols + c] = Math.max(-127, Math.min(127, q));
    }
  }
  return { values, scales };
}
