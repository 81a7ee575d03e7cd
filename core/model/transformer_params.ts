/**
 * The TradingTransformer's parameters as the exporter, the edge and the trainer's
 * checkpoint adapter name them. Matrices are row-major `[in, out]` (y = x·W + b).
 * The architecture follows the seed (PyTorch `TransformerEncoderLayer` defaults:
 * post-norm, ReLU feed-forward, layer-norm epsilon 1e-5).
 *
 * @module
 */

/** Shape hyper-parameters of a TradingTransformer. */
export interface TransformerShape {
  /** Features per time step (F). */
  readonly featureDim: number;
  /** Window length (T). */
  readonly window: number;
  /** Model width (d_model). */
  readonly dModel: number;
  /** Attention heads (must divide dModel). */
  readonly nHeads: number;
  /** Encoder layers. */
  readonly nLayers: number;
  /** Feed-forward width. */
  readonly ffDim: number;
}

/** Output heads and their widths. */
export const HEADS = { price: 3, action: 3, position: 1, risk: 1, value: 1 } as const;

/** Layer-norm epsilon (PyTorch default). */
export const LAYER_NORM_EPSILON = 1e-5;

/**
 * Every parameter name with its shape, in a stable order.
 *
 * @throws {RangeError} When nHeads does not divide dModel or a size is not a positive integer.
 */
export function transformerParamShapes(s: TransformerShape): Map<string, number[]> {
  for (const [k, v] of Object.entries(s)) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(
        `Cannot shape transformer as '${k}' must be a positive integer: current value is ${v}`,
      );
    }
  }
  if (s.dModel % s.nHeads !== 0) {
    throw new RangeError(
      `Cannot shape transformer as nHeads (${s.nHeads}) must divide dModel (${s.dModel})`,
    );
  }
  const d = s.dModel;
  const m = new Map<string, number[]>();
  m.set("input_proj.w", [s.featureDim, d]);
  m.set("input_proj.b", [d]);
  for (let i = 0; i < s.nLayers; i++) {
    const p = `layers.${i}`;
    for (const x of ["q", "k", "v", "o"]) {
      m.set(`${p}.attn.w${x}`, [d, d]);
      m.set(`${p}.attn.b${x}`, [d]);
    }
    m.set(`${p}.ln1.g`, [d]);
    m.set(`${p}.ln1.b`, [d]);
    m.set(`${p}.ff.w1`, [d, s.ffDim]);
    m.set(`${p}.ff.b1`, [s.ffDim]);
    m.set(`${p}.ff.w2`, [s.ffDim, d]);
    m.set(`${p}.ff.b2`, [d]);
    m.set(`${p}.ln2.g`, [d]);
    m.set(`${p}.ln2.b`, [d]);
  }
  for (const [h, n] of Object.entries(HEADS)) {
    m.set(`heads.${h}.w`, [d, n]);
    m.set(`heads.${h}.b`, [n]);
  }
  return m;
}

/** Parameter values by name, shaped as {@linkcode transformerParamShapes} says. */
export interface TransformerWeights {
  /** The model's shape. */
  readonly shape: TransformerShape;
  /** Values by parameter name (row-major float32). */
  readonly params: ReadonlyMap<string, Float32Array>;
}

/**
 * Checks that every parameter exists with the right size and finite values.
 *
 * @throws {RangeError} Naming the first missing, mis-sized or non-finite parameter.
 */
export function validateWeights(w: TransformerWeights): void {
  for (const [name, dims] of transformerParamShapes(w.shape)) {
    const v = w.params.get(name);
    const size = dims.reduce((a, b) => a * b, 1);
    if (!v) throw new RangeError(`Cannot use weights: parameter ${name} is missing`);
    if (v.length !== size) {
      throw new RangeError(
        `Cannot use weights: ${name} must have ${size} values [${dims}], has ${v.length}`,
      );
    }
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        throw new RangeError(`Cannot use weights: ${name}[${i}] is not finite`);
      }
    }
  }
}

/**
 * Sinusoidal positional encoding `[window, dModel]` (Vaswani et al.):
 * PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)).
 */
export function positionalEncoding(window: number, dModel: number): Float32Array {
  const pe = new Float32Array(window * dModel);
  for (let p = 0; p < window; p++) {
    for (let i = 0; i < dModel; i += 2) {
      const angle = p / Math.pow(10_000, i / dModel);
      pe[p * dModel + i] = Math.sin(angle);
      if (i + 1 < dModel) pe[p * dModel + i + 1] = Math.cos(angle);
    }
  }
  return pe;
}
