/**
 * Builds a {@linkcode MarketTape} for consecutive decision bars of a dataset:
 * every window is encoded once by the (frozen) TradingTransformer encoder in
 * compiled batches, so environment steps only index precomputed vectors.
 *
 * @module
 */

import type { ModelSpec } from "../../core/model/model_spec.ts";
import { type Dataset, writeWindow } from "../data/dataset.ts";
import { compile, freeTree, keep, keepTree, type Tensor, tensor, toHost } from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import {
  encode,
  type HostParams,
  positionalTensor,
  splitParams,
  uploadParams,
} from "../nn/transformer.ts";
import type { MarketTape } from "./trading_env.ts";

/**
 * Encodes the windows ending at `indices` (consecutive bars) into a tape;
 * `onBatch(done, total)` reports progress (days of windows take minutes).
 */
export async function encodeTape(
  spec: ModelSpec,
  host: HostParams,
  ds: Dataset,
  indices: readonly number[],
  batch = 32,
  onBatch?: (done: number, total: number) => void,
): Promise<MarketTape> {
  const { encoder, heads } = splitParams(uploadParams(spec, host));
  freeTree(heads);
  const pe = positionalTensor(spec);
  const { windowLength: t, featureCount: f, dModel: d } = spec;
  const fns = new Map<number, (p: Params, x: Tensor, pe: Tensor) => Tensor>();
  const emb = new Float32Array(indices.length * d);
  for (let i = 0; i < indices.length; i += batch) {
    const chunk = indices.slice(i, i + batch);
    const n = chunk.length;
    if (!fns.has(n)) {
      fns.set(
        n,
        compile((p: Params, x: Tensor, pe: Tensor) => encode(spec, p, x, pe, n)),
      );
    }
    const x = new Float32Array(n * t * f);
    chunk.forEach((idx, k) => writeWindow(ds, idx, x, k * t * f));
    const fn = fns.get(n) as (p: Params, x: Tensor, pe: Tensor) => Tensor;
    emb.set(await toHost(fn(keepTree(encoder), tensor(x, [n, t, f]), keep(pe))), i * d);
    onBatch?.(i + n, indices.length);
  }
  freeTree(encoder);
  pe.dispose();
  return { emb, embSize: d };
}
