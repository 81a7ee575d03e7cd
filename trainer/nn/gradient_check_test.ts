import assert from "node:assert/strict";
import { parameterShapes, positionalEncoding } from "../../core/model/model_spec.ts";
import { seededRandom } from "../../core/random.ts";
import {
  initBackend,
  keep,
  ops,
  type Tensor,
  tensor,
  toHost,
  valueAndGradient,
} from "./backend.ts";
import {
  encoderLayer,
  feedForward,
  layerNorm,
  linear,
  type Params,
  selfAttention,
} from "./layers.ts";
import { binaryCrossEntropy, crossEntropy, mse } from "./losses.ts";
import { forward } from "./transformer.ts";
import {
  refAttention,
  refEncoderLayer,
  refFeedForward,
  refForward,
  refLayerNorm,
  refLinear,
  type RefParams,
} from "./testing/reference_f64.ts";

await initBackend();

const S = { b: 2, t: 3, d: 4, h: 2 };
const FF = 6;
const rand = seededRandom(42);
const randArr = (n: number, scale = 1): Float64Array =>
  Float64Array.from({ length: n }, () => (rand() * 2 - 1) * scale);

/**
 * Checks a backend function against a float64 reference: forward values, and
 * the backend's float32 gradients of sum(out * R) against float64 central
 * finite differences of the reference, for every element of every input.
 */
async function gradCheck(
  shapes: Record<string, number[]>,
  ref: (p: RefParams) => Float64Array,
  fn: (p: Params) => Tensor,
): Promise<void> {
  const p64: RefParams = new Map();
  for (const [k, s] of Object.entries(shapes)) {
    p64.set(
      k,
      randArr(s.reduce((a, b) => a * b, 1), k.endsWith(".g") ? 0.5 : 1).map((v) =>
        k.endsWith(".g") ? 1 + v : v
      ),
    );
  }
  const out64 = ref(p64);
  const r = randArr(out64.length);
  const objective = (p: RefParams): number =>
    ref(p).reduce((s, v, i) => s + v * (r[i] as number), 0);
  const upload = (): Params =>
    Object.fromEntries(
      Object.entries(shapes).map((
        [k, s],
      ) => [k, tensor(Float32Array.from(p64.get(k) as Float64Array), s)]),
    );
  const out32 = await toHost(fn(upload()));
  assert.equal(out32.length, out64.length);
  out32.forEach((v, i) =>
    assert.ok(Math.abs(v - (out64[i] as number)) < 1e-4, `forward[${i}] ${v} vs ${out64[i]}`)
  );
  const rT = tensor(Float32Array.from(r), [out64.length]);
  const vg = valueAndGradient((p: Params, rr: Tensor) =>
    ops.sum(ops.mul(ops.reshape(fn(p), [out64.length]), rr))
  );
  const [value, grads] = vg(upload(), rT);
  assert.ok(Math.abs((await toHost(value))[0] as number - objective(p64)) < 1e-3);
  const eps = 1e-6;
  for (const k of Object.keys(shapes)) {
    const g = await toHost(grads[k] as Tensor);
    const t = p64.get(k) as Float64Array;
    for (let i = 0; i < t.length; i++) {
      const keepV = t[i] as number;
      t[i] = keepV + eps;
      const up = objective(p64);
      t[i] = keepV - eps;
      const down = objective(p64);
      t[i] = keepV;
      const fd = (up - down) / (2 * eps);
      const a = g[i] as number;
      assert.ok(
        Math.abs(a - fd) <= 2e-4 + 2e-3 * Math.abs(fd),
        `d/d${k}[${i}]: backend ${a} vs finite difference ${fd}`,
      );
    }
  }
}

const n = S.b * S.t;
const attnShapes = (prefix: string): Record<string, number[]> =>
  Object.fromEntries(
    ["q", "k", "v", "o"].flatMap((
      c,
    ) => [[`${prefix}attn.w${c}`, [S.d, S.d]], [`${prefix}attn.b${c}`, [S.d]]]),
  );
const ffnShapes = (prefix: string): Record<string, number[]> => ({
  [`${prefix}ffn.w1`]: [S.d, FF],
  [`${prefix}ffn.b1`]: [FF],
  [`${prefix}ffn.w2`]: [FF, S.d],
  [`${prefix}ffn.b2`]: [S.d],
});
const x64 = (p: RefParams): Float64Array => p.get("x") as Float64Array;
const xT = (p: Params): Tensor => p.x as Tensor;
const attnShape = { batch: S.b, length: S.t, dModel: S.d, heads: S.h };

Deno.test("linear() gradients match float64 finite differences", async () => {
  await gradCheck(
    { x: [n, 3], w: [3, 5], bias: [5] },
    (p) => refLinear(x64(p), n, 3, p.get("w") as Float64Array, p.get("bias") as Float64Array, 5),
    (p) => linear(xT(p), p.w as Tensor, p.bias as Tensor),
  );
});

Deno.test("layerNorm() gradients match float64 finite differences", async () => {
  await gradCheck(
    { x: [n, S.d], "ln.g": [S.d], "ln.b": [S.d] },
    (p) =>
      refLayerNorm(x64(p), n, S.d, p.get("ln.g") as Float64Array, p.get("ln.b") as Float64Array),
    (p) => layerNorm(xT(p), p["ln.g"] as Tensor, p["ln.b"] as Tensor),
  );
});

Deno.test("selfAttention() gradients match float64 finite differences (fused and explicit paths)", async () => {
  for (const withWeights of [false, true]) {
    await gradCheck(
      { x: [n, S.d], ...attnShapes("") },
      (p) => refAttention(x64(p), p, "", S),
      (p) => {
        const r = selfAttention(xT(p), p, "", attnShape, withWeights);
        r.weights?.dispose();
        return r.out;
      },
    );
  }
});

Deno.test("feedForward() gradients match float64 finite differences", async () => {
  await gradCheck(
    { x: [n, S.d], ...ffnShapes("") },
    (p) => refFeedForward(x64(p), p, "", n, S.d, FF),
    (p) => feedForward(xT(p), p, ""),
  );
});

Deno.test("encoderLayer() gradients match float64 finite differences", async () => {
  await gradCheck(
    {
      x: [n, S.d],
      ...attnShapes("l."),
      ...ffnShapes("l."),
      "l.ln1.g": [S.d],
      "l.ln1.b": [S.d],
      "l.ln2.g": [S.d],
      "l.ln2.b": [S.d],
    },
    (p) => refEncoderLayer(x64(p), p, "l.", S, FF),
    (p) => encoderLayer(xT(p), p, "l.", attnShape).out,
  );
});

Deno.test("forward() of the whole model (2 layers, all heads) matches float64 finite differences", async () => {
  const spec = {
    featureCount: 3,
    windowLength: S.t,
    dModel: S.d,
    heads: S.h,
    layers: 2,
    ffnWidth: FF,
  };
  const shapes: Record<string, number[]> = { x: [S.b, S.t, 3] };
  for (const { name, shape } of parameterShapes(spec)) shapes[name] = [...shape];
  const pe = positionalEncoding(S.t, S.d);
  await gradCheck(shapes, (p) => refForward(x64(p), p, pe, spec, S.b), (p) => {
    const { x, ...rest } = p;
    const o = forward(spec, rest, x as Tensor, tensor(pe, [S.t, S.d]), S.b);
    return ops.concat([o.price, o.action_logits, o.position_size, o.risk, o.value], 1);
  });
});

Deno.test("loss functions' gradients match float64 finite differences", async () => {
  const y = [0, 1, 0, 0, 0, 1];
  const soft = [0.2, 0.9];
  const yT = (v: number[], s: number[]) => tensor(Float32Array.from(v), s);
  const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  await gradCheck(
    { z: [2, 3], s: [2, 1] },
    (p) => {
      const z = p.get("z") as Float64Array;
      const s = p.get("s") as Float64Array;
      let ce = 0;
      let sq = 0;
      for (let i = 0; i < 2; i++) {
        const row = [0, 1, 2].map((j) => z[i * 3 + j] as number);
        const m = Math.max(...row);
        const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
        for (let j = 0; j < 3; j++) ce -= (y[i * 3 + j] as number) * ((row[j] as number) - lse) / 2;
        for (let j = 0; j < 3; j++) sq += ((row[j] as number) - (y[i * 3 + j] as number)) ** 2 / 6;
      }
      const bce = [0, 1].reduce(
        (a, i) => a + (softplus(s[i] as number) - (soft[i] as number) * (s[i] as number)) / 2,
        0,
      );
      return Float64Array.from([ce, sq, bce]);
    },
    (p) =>
      ops.concat([
        ops.reshape(crossEntropy(keep(p.z as Tensor), yT(y, [2, 3])), [1]),
        ops.reshape(mse(p.z as Tensor, yT(y, [2, 3])), [1]),
        ops.reshape(binaryCrossEntropy(p.s as Tensor, yT(soft, [2, 1])), [1]),
      ], 0),
  );
});
