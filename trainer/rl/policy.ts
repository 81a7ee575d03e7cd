/**
 * Actor-critic networks for PPO/A2C over flat observations, each with a
 * categorical head over the discrete choices, a Gaussian head
 * (state-independent log std) over the size variable and a value head
 * (CleanRL details 2, 13, 23-25). Two kinds, told apart by their parameter
 * names:
 *
 * - "mlp" (`policy.l1.*`...): two tanh layers with scaled init, for any
 *   observation;
 * - "heads" (`heads.*`): the TradingTransformer's own action, position-size and
 *   value heads on the frozen encoding z (the observation minus its last
 *   column), plus a learned linear term of the position fraction (the last
 *   column). It starts from the pretrained heads, so PPO/A2C fine-tune them.
 *
 * @module
 */

import { seededRandom } from "../../core/random.ts";
import { keep, ops, type Tensor, tensor } from "../nn/backend.ts";
import { linear, param, type Params } from "../nn/layers.ts";

/** Policy sizes. */
export interface PolicySpec {
  /** Observation length. */
  readonly obsSize: number;
  /** Discrete choices. */
  readonly choices: number;
  /** Hidden width. */
  readonly hidden: number;
}

/** Host parameters of a policy. */
export type HostPolicy = Map<string, { shape: number[]; data: Float32Array }>;

function gaussianMatrix(
  rand: () => number,
  rows: number,
  cols: number,
  gain: number,
): Float32Array {
  // scaled Gaussian init (variance gain^2 / fan_in), a cheap stand-in for orthogonal init
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) {
    const u1 = Math.max(rand(), 1e-12);
    const u2 = rand();
    out[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2) * gain / Math.sqrt(rows);
  }
  return out;
}

/** Fresh policy parameters (deterministic in seed). */
export function initPolicy(spec: PolicySpec, seed: number): HostPolicy {
  const r = seededRandom(seed);
  const { obsSize: o, hidden: h, choices: c } = spec;
  const m = (rows: number, cols: number, gain: number) => ({
    shape: [rows, cols],
    data: gaussianMatrix(r, rows, cols, gain),
  });
  const z = (n: number, v = 0) => ({ shape: [n], data: new Float32Array(n).fill(v) });
  return new Map([
    ["policy.l1.w", m(o, h, Math.SQRT2)],
    ["policy.l1.b", z(h)],
    ["policy.l2.w", m(h, h, Math.SQRT2)],
    ["policy.l2.b", z(h)],
    ["policy.pi.w", m(h, c, 0.01)],
    ["policy.pi.b", z(c)],
    ["policy.size.w", m(h, 1, 0.01)],
    ["policy.size.b", z(1)],
    ["policy.size.log_std", z(1, -0.5)],
    ["policy.v.w", m(h, 1, 1)],
    ["policy.v.b", z(1)],
  ]);
}

/** Uploads a host policy. */
export function uploadPolicy(host: HostPolicy): Params {
  const p: Params = {};
  for (const [k, t] of host) p[k] = tensor(t.data, t.shape);
  return p;
}

/** Outputs of the network for obs [N, O]. */
export interface PolicyOut {
  /** Log-probabilities of the choices [N, C]. */
  readonly logp: Tensor;
  /** Size mean [N, 1]. */
  readonly mean: Tensor;
  /** Size log std [1]. */
  readonly logStd: Tensor;
  /** Values [N, 1]. */
  readonly value: Tensor;
}

/**
 * A "heads" policy initialized from a TradingTransformer's pretrained heads
 * (host parameters by name); position terms start at 0.
 */
export function initHeadPolicy(
  model: ReadonlyMap<string, Float32Array>,
  dModel: number,
): HostPolicy {
  const out: HostPolicy = new Map();
  for (const [head, width] of [["action_logits", 3], ["position_size", 1], ["value", 1]] as const) {
    for (const [suffix, shape] of [["w", [dModel, width]], ["b", [width]]] as const) {
      const name = `heads.${head}.${suffix}`;
      const data = model.get(name);
      if (data === undefined) {
        throw new RangeError(`Cannot build a heads policy: model lacks ${name}`);
      }
      out.set(name, { shape: [...shape], data: data.slice() });
    }
    out.set(`policy.pos.${head}`, { shape: [1, width], data: new Float32Array(width) });
  }
  out.set("policy.size.log_std", { shape: [1], data: new Float32Array([-0.5]) });
  return out;
}

function headsForward(p: Params, obs: Tensor): PolicyOut {
  const w = param(p, "heads.action_logits.w");
  const d = w.shape[0] as number;
  const z = ops.columns(keep(obs), 0, d);
  const pos = ops.columns(obs, d, d + 1);
  const head = (name: string, weight: Tensor, zi: Tensor, posi: Tensor): Tensor =>
    ops.add(
      linear(zi, weight, param(p, `heads.${name}.b`)),
      ops.matmul(posi, param(p, `policy.pos.${name}`)),
    );
  const logits = head("action_logits", w, keep(z), keep(pos));
  const mean = head("position_size", param(p, "heads.position_size.w"), keep(z), keep(pos));
  const value = head("value", param(p, "heads.value.w"), z, pos);
  return { logp: ops.logSoftmax(logits), mean, logStd: param(p, "policy.size.log_std"), value };
}

/** Forward pass of either policy kind (consumes p and obs). */
export function policyForward(p: Params, obs: Tensor): PolicyOut {
  if (p["heads.action_logits.w"] !== undefined) return headsForward(p, obs);
  const h1 = ops.tanh(linear(obs, param(p, "policy.l1.w"), param(p, "policy.l1.b")));
  const h2 = ops.tanh(linear(h1, param(p, "policy.l2.w"), param(p, "policy.l2.b")));
  const logits = linear(keep(h2), param(p, "policy.pi.w"), param(p, "policy.pi.b"));
  const mean = linear(keep(h2), param(p, "policy.size.w"), param(p, "policy.size.b"));
  const value = linear(h2, param(p, "policy.v.w"), param(p, "policy.v.b"));
  return { logp: ops.logSoftmax(logits), mean, logStd: param(p, "policy.size.log_std"), value };
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Joint log-probability [N] of (choice one-hot [N, C], size u [N, 1]) and the
 * joint entropy [N] (consumes out, onehot and u).
 */
export function logProbAndEntropy(
  out: PolicyOut,
  onehot: Tensor,
  u: Tensor,
): { logProb: Tensor; entropy: Tensor } {
  const lpChoice = ops.sum(ops.mul(keep(out.logp), onehot), -1);
  const entChoice = ops.mul(ops.sum(ops.mul(ops.exp(keep(out.logp)), out.logp), -1), -1);
  const z = ops.div(ops.sub(u, out.mean), ops.exp(keep(out.logStd)));
  const lpSize = ops.reshape(
    ops.sub(ops.sub(ops.mul(ops.square(z), -0.5), keep(out.logStd)), HALF_LOG_2PI),
    [-1],
  );
  const entSize = ops.add(out.logStd, 0.5 + HALF_LOG_2PI); // [1], broadcast
  return { logProb: ops.add(lpChoice, lpSize), entropy: ops.add(entChoice, entSize) };
}
