/**
 * The TradingTransformer's shape contract, shared by the trainer (training,
 * checkpoints, export) and the edge (inference): hyper-parameters, the ordered
 * list of parameter tensors with their shapes, and the input/output names.
 *
 * Pure: no I/O. Changing a name or an order here changes the checkpoint layout
 * and the exported graph, so both sides must be rebuilt together.
 *
 * @module
 */

/** Architecture hyper-parameters of the TradingTransformer. */
export interface ModelSpec {
  /** Features per time step (F). */
  readonly featureCount: number;
  /** Window length in time steps (T). */
  readonly windowLength: number;
  /** Width of the residual stream. */
  readonly dModel: number;
  /** Attention heads; must divide `dModel`. */
  readonly heads: number;
  /** Encoder layers. */
  readonly layers: number;
  /** Hidden width of each feed-forward block. */
  readonly ffnWidth: number;
}

/**
 * Default feed-forward width: 256 (2 x d_model), not the usual 4 x d_model.
 * On a Pi 4 the edge budget is 50 ms per decision and the 6-layer model at
 * T = 64 already uses most of it at FFN 512 (docs/trainer.md); the FFN is
 * about half of the per-layer matmul work, so 256 cuts inference by roughly a
 * third while keeping the attention width. The training bench uses 512 to
 * match the PyTorch anchor.
 */
export const DEFAULT_FFN_WIDTH = 256;

/** Defaults from the seed design: d_model 128, 4 heads, 6 layers, T 64. */
export const DEFAULT_MODEL: Omit<ModelSpec, "featureCount"> = {
  windowLength: 64,
  dModel: 128,
  heads: 4,
  layers: 6,
  ffnWidth: DEFAULT_FFN_WIDTH,
};

/** Input tensor name: float32 [batch, windowLength, featureCount], normalized features. */
export const INPUT_NAME = "features";

/** Output heads in order: name, width and activation applied by the model. */
export const OUTPUT_HEADS: readonly {
  readonly name: string;
  readonly width: number;
  readonly activation: "none" | "sigmoid";
}[] = [
  { name: "price", width: 3, activation: "none" },
  { name: "action_logits", width: 3, activation: "none" },
  { name: "position_size", width: 1, activation: "sigmoid" },
  { name: "risk", width: 1, activation: "sigmoid" },
  { name: "value", width: 1, activation: "none" },
];

/** Class order of the action head (and of action labels). */
export const ACTION_CLASSES = ["hold", "buy", "sell"] as const;

/** A named parameter tensor and its shape. */
export interface ParamShape {
  /** Dotted name, e.g. "layers.0.attn.wq". */
  readonly name: string;
  /** Row-major shape. */
  readonly shape: readonly number[];
}

/**
 * Checks a spec and returns it.
 *
 * @throws {RangeError} when a size is not a positive integer or heads do not divide dModel.
 */
export function validateModelSpec(spec: ModelSpec): ModelSpec {
  for (const [k, v] of Object.entries(spec)) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(`Cannot use model spec: ${k} must be a positive integer: ${v}`);
    }
  }
  if (spec.dModel % spec.heads !== 0) {
    throw new RangeError(
      `Cannot use model spec: heads must divide dModel: ${spec.heads} vs ${spec.dModel}`,
    );
  }
  return spec;
}

/**
 * The parameter tensors of a spec in canonical order (checkpoint and export order).
 * Linear weights are stored [in, out] (y = x W + b).
 */
export function parameterShapes(spec: ModelSpec): ParamShape[] {
  const { featureCount: f, dModel: d, ffnWidth: h } = spec;
  const out: ParamShape[] = [
    { name: "input.w", shape: [f, d] },
    { name: "input.b", shape: [d] },
  ];
  for (let i = 0; i < spec.layers; i++) {
    const p = `layers.${i}.`;
    out.push(
      { name: p + "attn.wq", shape: [d, d] },
      { name: p + "attn.bq", shape: [d] },
      { name: p + "attn.wk", shape: [d, d] },
      { name: p + "attn.bk", shape: [d] },
      { name: p + "attn.wv", shape: [d, d] },
      { name: p + "attn.bv", shape: [d] },
      { name: p + "attn.wo", shape: [d, d] },
      { name: p + "attn.bo", shape: [d] },
      { name: p + "ln1.g", shape: [d] },
      { name: p + "ln1.b", shape: [d] },
      { name: p + "ffn.w1", shape: [d, h] },
      { name: p + "ffn.b1", shape: [h] },
      { name: p + "ffn.w2", shape: [h, d] },
      { name: p + "ffn.b2", shape: [d] },
      { name: p + "ln2.g", shape: [d] },
      { name: p + "ln2.b", shape: [d] },
    );
  }
  for (const head of OUTPUT_HEADS) {
    out.push(
      { name: `heads.${head.name}.w`, shape: [d, head.width] },
      { name: `heads.${head.name}.b`, shape: [head.width] },
    );
  }
  return out;
}

/** Number of scalar parameters of a spec. */
export function parameterCount(spec: ModelSpec): number {
  return parameterShapes(spec).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Sinusoidal positional encoding [windowLength * dModel], row-major
 * (even columns sin, odd columns cos, base 10000), as in the seed.
 */
export function positionalEncoding(windowLength: number, dModel: number): Float32Array {
  const pe = new Float32Array(windowLength * dModel);
  for (let t = 0; t < windowLength; t++) {
    for (let j = 0; j < dModel; j++) {
      const freq = Math.exp(-Math.log(10000) * (2 * Math.floor(j / 2)) / dModel);
      pe[t * dModel + j] = j % 2 === 0 ? Math.sin(t * freq) : Math.cos(t * freq);
    }
  }
  return pe;
}
