/**
 * A plain-JS float64 reference of the TradingTransformer's layers, written
 * independently of the tensor backend. Tests use it for forward parity and for
 * finite-difference gradients.
 *
 * @module
 */

/** Float64 parameters by name. */
export type RefParams = Map<string, Float64Array>;

function get(p: RefParams, name: string): Float64Array {
  const t = p.get(name);
  if (t === undefined) throw new RangeError(`missing reference parameter ${name}`);
  return t;
}

/** x [n, k] times w [k, m] plus b [m]. */
export function refLinear(
  x: Float64Array,
  n: number,
  k: number,
  w: Float64Array,
  b: Float64Array,
  m: number,
): Float64Array {
  const y = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = b[j] as number;
      for (let l = 0; l < k; l++) s += (x[i * k + l] as number) * (w[l * m + j] as number);
      y[i * m + j] = s;
    }
  }
  return y;
}

/** Layer norm over rows of length d (biased variance, eps 1e-5). */
export function refLayerNorm(
  x: Float64Array,
  n: number,
  d: number,
  g: Float64Array,
  b: Float64Array,
): Float64Array {
  const y = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[i * d + j] as number;
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) v += ((x[i * d + j] as number) - mean) ** 2;
    const inv = 1 / Math.sqrt(v / d + 1e-5);
    for (let j = 0; j < d; j++) {
      y[i * d + j] = ((x[i * d + j] as number) - mean) * inv * (g[j] as number) + (b[j] as number);
    }
  }
  return y;
}

/** Shape of a reference attention call. */
export interface RefShape {
  /** Batch. */
  b: number;
  /** Length. */
  t: number;
  /** Width. */
  d: number;
  /** Heads. */
  h: number;
}

/** Multi-head self-attention of x [B*T, D] with parameters `<prefix>attn.*`. */
export function refAttention(
  x: Float64Array,
  p: RefParams,
  prefix: string,
  s: RefShape,
): Float64Array {
  const { b, t, d, h } = s;
  const dh = d / h;
  const lin = (n: string) =>
    refLinear(x, b * t, d, get(p, `${prefix}attn.w${n}`), get(p, `${prefix}attn.b${n}`), d);
  const q = lin("q");
  const k = lin("k");
  const v = lin("v");
  const ctx = new Float64Array(b * t * d);
  for (let bi = 0; bi < b; bi++) {
    for (let hi = 0; hi < h; hi++) {
      for (let i = 0; i < t; i++) {
        const scores = new Float64Array(t);
        let max = -Infinity;
        for (let j = 0; j < t; j++) {
          let sc = 0;
          for (let c = 0; c < dh; c++) {
            sc += (q[(bi * t + i) * d + hi * dh + c] as number) *
              (k[(bi * t + j) * d + hi * dh + c] as number);
          }
          scores[j] = sc / Math.sqrt(dh);
          max = Math.max(max, scores[j] as number);
        }
        let z = 0;
        for (let j = 0; j < t; j++) z += scores[j] = Math.exp((scores[j] as number) - max);
        for (let c = 0; c < dh; c++) {
          let acc = 0;
          for (let j = 0; j < t; j++) {
            acc += (scores[j] as number) / z * (v[(bi * t + j) * d + hi * dh + c] as number);
          }
          ctx[(bi * t + i) * d + hi * dh + c] = acc;
        }
      }
    }
  }
  return refLinear(ctx, b * t, d, get(p, `${prefix}attn.wo`), get(p, `${prefix}attn.bo`), d);
}

/** Feed-forward relu(x W1 + b1) W2 + b2 of x [n, d] with hidden width f. */
export function refFeedForward(
  x: Float64Array,
  p: RefParams,
  prefix: string,
  n: number,
  d: number,
  f: number,
): Float64Array {
  const hdn = refLinear(x, n, d, get(p, `${prefix}ffn.w1`), get(p, `${prefix}ffn.b1`), f).map((v) =>
    Math.max(v, 0)
  );
  return refLinear(hdn, n, f, get(p, `${prefix}ffn.w2`), get(p, `${prefix}ffn.b2`), d);
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + (b[i] as number));
}

/** Post-LN encoder layer on x [B*T, D]. */
export function refEncoderLayer(
  x: Float64Array,
  p: RefParams,
  prefix: string,
  s: RefShape,
  f: number,
): Float64Array {
  const n = s.b * s.t;
  const h = refLayerNorm(
    add(x, refAttention(x, p, prefix, s)),
    n,
    s.d,
    get(p, `${prefix}ln1.g`),
    get(p, `${prefix}ln1.b`),
  );
  return refLayerNorm(
    add(h, refFeedForward(h, p, prefix, n, s.d, f)),
    n,
    s.d,
    get(p, `${prefix}ln2.g`),
    get(p, `${prefix}ln2.b`),
  );
}

/**
 * Full forward to the head outputs concatenated per sample in head order
 * (price 3, action 3, size 1, risk 1, value 1) for windows x [B, T, F].
 */
export function refForward(
  x: Float64Array,
  p: RefParams,
  pe: Float32Array,
  spec: {
    featureCount: number;
    windowLength: number;
    dModel: number;
    heads: number;
    layers: number;
    ffnWidth: number;
  },
  batch: number,
): Float64Array {
  const { featureCount: fc, windowLength: t, dModel: d } = spec;
  let h = refLinear(x, batch * t, fc, get(p, "input.w"), get(p, "input.b"), d);
  h = h.map((v, i) => v + (pe[i % (t * d)] as number));
  for (let l = 0; l < spec.layers; l++) {
    h = refEncoderLayer(h, p, `layers.${l}.`, { b: batch, t, d, h: spec.heads }, spec.ffnWidth);
  }
  const z = new Float64Array(batch * d);
  for (let bi = 0; bi < batch; bi++) {
    z.set(h.subarray((bi * t + t - 1) * d, (bi * t + t) * d), bi * d);
  }
  const parts = ["price", "action_logits", "position_size", "risk", "value"].map((n) => {
    const w = get(p, `heads.${n}.w`);
    return { y: refLinear(z, batch, d, w, get(p, `heads.${n}.b`), w.length / d), m: w.length / d };
  });
  const out: number[] = [];
  for (let bi = 0; bi < batch; bi++) {
    for (const { y, m } of parts) out.push(...y.subarray(bi * m, bi * m + m));
  }
  return Float64Array.from(out);
}
