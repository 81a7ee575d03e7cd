/**
 * The tensor library behind a small interface. This is the only file that
 * imports `@jax-js/jax`; the model, losses, optimizer and RL code use
 * {@linkcode ops}, {@linkcode compile}, {@linkcode valueAndGradient} and the
 * host transfer helpers below. Swapping the library means reimplementing this
 * file.
 *
 * Ownership rule (from jax-js): every op *consumes* its tensor arguments. To
 * use a tensor twice, pass {@linkcode keep}(t) for all but the last use; free
 * tensors you no longer need with {@linkcode free}. Trees (objects/arrays of
 * tensors) follow the same rule with {@linkcode keepTree} / {@linkcode freeTree}.
 *
 * Device: jax-js's wasm backend (SIMD kernels, multi-threaded through Web
 * Workers when SharedArrayBuffer is available, as in Deno). Call
 * {@linkcode initBackend} once before use.
 *
 * @module
 */

import { init, jit, nn, numpy as np, tree, valueAndGrad } from "@jax-js/jax";

/** A tensor of the backend (float32 unless stated). */
export type Tensor = np.Array;

/** A nested object/array of tensors (parameters, gradients, optimizer state). */
export type TensorTree = Tensor | readonly TensorTree[] | { readonly [k: string]: TensorTree };

let ready: Promise<void> | undefined;

/** Starts the wasm device (idempotent). */
export function initBackend(): Promise<void> {
  ready ??= init("wasm").then((devices) => {
    if (!devices.includes("wasm")) {
      throw new Error(`Cannot start the tensor backend: wasm device unavailable: ${devices}`);
    }
  });
  return ready;
}

/** Element-wise and linear-algebra ops used by the trainer. All consume their arguments. */
export const ops = {
  /** Batched matrix product over the last two axes. */
  matmul: (a: Tensor, b: Tensor): Tensor => np.matmul(a, b),
  /** a + b with broadcasting. */
  add: (a: Tensor, b: Tensor | number): Tensor => np.add(a, b),
  /** a - b with broadcasting. */
  sub: (a: Tensor, b: Tensor | number): Tensor => np.subtract(a, b),
  /** a * b with broadcasting. */
  mul: (a: Tensor, b: Tensor | number): Tensor => np.multiply(a, b),
  /** a / b with broadcasting. */
  div: (a: Tensor | number, b: Tensor | number): Tensor => np.divide(a, b),
  /** Element-wise minimum. */
  minimum: (a: Tensor, b: Tensor | number): Tensor => np.minimum(a, b),
  /** Element-wise maximum. */
  maximum: (a: Tensor, b: Tensor | number): Tensor => np.maximum(a, b),
  /** Clamps into [lo, hi]. */
  clip: (a: Tensor, lo: number, hi: number): Tensor => np.clip(a, lo, hi),
  /** Reshape (row-major). */
  reshape: (a: Tensor, shape: number[]): Tensor => np.reshape(a, shape),
  /** Axis permutation. */
  transpose: (a: Tensor, perm: number[]): Tensor => np.transpose(a, perm),
  /** Concatenation along an axis. */
  concat: (xs: Tensor[], axis: number): Tensor => np.concatenate(xs, axis),
  /** Sum over an axis (all axes when undefined). */
  sum: (a: Tensor, axis?: number, keepdims = false): Tensor => np.sum(a, axis, { keepdims }),
  /** Mean over an axis (all axes when undefined). */
  mean: (a: Tensor, axis?: number, keepdims = false): Tensor => np.mean(a, axis, { keepdims }),
  /** Element-wise square. */
  square: (a: Tensor): Tensor => np.square(a),
  /** Element-wise square root. */
  sqrt: (a: Tensor): Tensor => np.sqrt(a),
  /** Element-wise exp. */
  exp: (a: Tensor): Tensor => np.exp(a),
  /** Element-wise natural log. */
  log: (a: Tensor): Tensor => np.log(a),
  /** Element-wise tanh. */
  tanh: (a: Tensor): Tensor => np.tanh(a),
  /** max(a, 0). */
  relu: (a: Tensor): Tensor => nn.relu(a),
  /** Logistic sigmoid. */
  sigmoid: (a: Tensor): Tensor => nn.sigmoid(a),
  /** Softmax over the last axis. */
  softmax: (a: Tensor): Tensor => nn.softmax(a, -1),
  /** Log-softmax over the last axis. */
  logSoftmax: (a: Tensor): Tensor => nn.logSoftmax(a, -1),
  /** log(1 + exp(a)), stable. */
  softplus: (a: Tensor): Tensor => nn.softplus(a),
  /** (x - mean) / sqrt(var + eps) over the last axis. */
  standardize: (a: Tensor, eps: number): Tensor => nn.standardize(a, -1, { epsilon: eps }),
  /** Slices index `i` out of axis 1 of a rank-3 tensor: [B, T, D] -> [B, D]. */
  pickStep: (a: Tensor, i: number): Tensor => a.slice([], i),
  /**
   * Scaled dot-product attention softmax(Q K^T / sqrt(dh)) V for q, k, v
   * [B, T, H, dh] -> [B, T, H, dh] (fused kernel; no weights returned).
   */
  attention: (q: Tensor, k: Tensor, v: Tensor): Tensor => nn.dotProductAttention(q, k, v),
  /** Columns [from, to) of a rank-2 tensor. */
  columns: (a: Tensor, from: number, to: number): Tensor => a.slice([], [from, to]),
  /** Elements [from, to) of a rank-1 tensor. */
  slice1d: (a: Tensor, from: number, to: number): Tensor => a.slice([from, to]),
  /** Zeros of a shape. */
  zeros: (shape: number[]): Tensor => np.zeros(shape),
};

/** Uploads host data as a float32 tensor. */
export function tensor(data: Float32Array | readonly number[], shape: number[]): Tensor {
  const buf = data instanceof Float32Array && data.buffer instanceof ArrayBuffer
    ? data as Float32Array<ArrayBuffer>
    : Float32Array.from(data);
  const n = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== n) {
    throw new RangeError(`Cannot make tensor: ${buf.length} values for shape [${shape}]`);
  }
  return np.array(buf).reshape(shape);
}

/** A scalar float32 tensor. */
export function scalar(v: number): Tensor {
  return np.array(new Float32Array([v])).reshape([]);
}

/** Downloads a tensor to host memory (consumes it). */
export async function toHost(t: Tensor): Promise<Float32Array> {
  const d = await t.data();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

/** Shape of a tensor. */
export function shapeOf(t: Tensor): number[] {
  return [...t.shape];
}

/** Adds a reference so `t` survives being passed to one more op. */
export function keep<T extends Tensor>(t: T): T {
  return t.ref;
}

/** Drops one reference. */
export function free(t: Tensor): void {
  t.dispose();
}

/** {@linkcode keep} for every tensor of a tree. */
export function keepTree<T extends TensorTree>(t: T): T {
  // deno-lint-ignore no-explicit-any
  return tree.ref(t as any) as T;
}

/** {@linkcode free} for every tensor of a tree. */
export function freeTree(t: TensorTree): void {
  // deno-lint-ignore no-explicit-any
  tree.dispose(t as any);
}

/**
 * Compiles a pure tensor function into fused, cached kernels (jax `jit`).
 * Non-tensor (static) arguments are not supported: close over them instead.
 */
// deno-lint-ignore no-explicit-any
export function compile<F extends (...args: any[]) => any>(f: F): F {
  // deno-lint-ignore no-explicit-any
  return jit(f as any) as unknown as F;
}

/**
 * Wraps a scalar-valued function into one returning `[value, gradient w.r.t.
 * the first argument]` (jax `valueAndGrad`).
 */
// deno-lint-ignore no-explicit-any
export function valueAndGradient<P extends TensorTree, R extends any[]>(
  f: (p: P, ...rest: R) => Tensor,
): (p: P, ...rest: R) => [Tensor, P] {
  // deno-lint-ignore no-explicit-any
  return valueAndGrad(f as any) as unknown as (p: P, ...rest: R) => [Tensor, P];
}

/**
 * Like {@linkcode valueAndGradient} for a function returning `[value, aux]`:
 * the wrapped function returns `[[value, aux], gradient]`; `aux` is not differentiated.
 */
// deno-lint-ignore no-explicit-any
export function valueAndGradientAux<P extends TensorTree, A extends TensorTree, R extends any[]>(
  f: (p: P, ...rest: R) => [Tensor, A],
): (p: P, ...rest: R) => [[Tensor, A], P] {
  // deno-lint-ignore no-explicit-any
  return valueAndGrad(f as any, { hasAux: true }) as unknown as (
    p: P,
    ...rest: R
  ) => [[Tensor, A], P];
}
