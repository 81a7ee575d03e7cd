/**
 * The stream-identity input of a pooled model trained with `--stream-input`: its manifest's
 * `stream_inputs` lists the streams ("venue:BASE/QUOTE") whose one-hot columns follow the
 * feature spec's values in every row. A trading process appends the one-hot of the stream it
 * decides before the model normalizes the window; the trainer appends the same columns to its
 * datasets (trainer/data/stream_datasets.ts).
 *
 * @module
 */

import type { WindowRow } from "./model_session.ts";

/** Name of the one-hot column of a stream. */
export function streamInputName(key: string): string {
  return `stream.${key}`;
}

/**
 * Appends the one-hot of `key` over `inputs` to every row (never missing).
 *
 * @throws {RangeError} When the stream is not one of the inputs.
 */
export function withStreamInput(
  rows: readonly WindowRow[],
  inputs: readonly string[],
  key: string,
): WindowRow[] {
  const at = inputs.indexOf(key);
  if (at < 0) {
    throw new RangeError(
      `Cannot decide ${key}: the model's stream inputs are ${inputs.join(", ")}`,
    );
  }
  return rows.map((row) => {
    const plain = ArrayBuffer.isView(row) || Array.isArray(row);
    const values = plain ? row as ArrayLike<number> : (row as { values: ArrayLike<number> }).values;
    const given = plain ? undefined : (row as { missing?: ArrayLike<number> }).missing;
    const f = values.length;
    const v = new Float64Array(f + inputs.length);
    const m = new Uint8Array(f + inputs.length);
    for (let i = 0; i < f; i++) {
      v[i] = values[i] as number;
      m[i] = given?.[i] === 1 ? 1 : 0;
    }
    v[f + at] = 1;
    return { values: v, missing: m };
  });
}
