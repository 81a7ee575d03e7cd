import { policyNetwork, type PolicyTensors } from "./policy_weights.ts";

/** Outputs of the RL policy for one observation (float64). */
export interface PolicyOutputs {
  /** Action logits (hold, buy, sell). */
  logits: number[];
  /** Size mean in pre-squash space; the order size is sigmoid(mean). */
  sizeMean: number;
  /** Value estimate. */
  value: number;
}

/**
 * A plain float64 forward pass of the RL policy (trainer/rl/policy.ts) on the
 * observation [z, position], the ground truth of the RL export's parity check.
 *
 * @param p Policy tensors (validated).
 * @param z The encoder's last-position vector.
 * @param position Position fraction (position value / equity).
 */
export function referencePolicy(
  p: PolicyTensors,
  z: readonly number[],
  position: number,
): PolicyOutputs {
  const T = (n: string) => (p.get(n) as { data: Float32Array }).data;
  if (policyNetwork(p) === "heads") {
    const head = (name: string, width: number) => {
      const y = affine(z, T(`heads.${name}.w`), T(`heads.${name}.b`), width);
      const pos = T(`policy.pos.${name}`);
      return y.map((v, i) => v + position * (pos[i] as number));
    };
    return {
      logits: head("action_logits", 3),
      sizeMean: head("position_size", 1)[0] as number,
      value: head("value", 1)[0] as number,
    };
  }
  const hidden = T("policy.l1.b").length;
  const obs = [...z, position];
  const h1 = affine(obs, T("policy.l1.w"), T("policy.l1.b"), hidden).map(Math.tanh);
  const h2 = affine(h1, T("policy.l2.w"), T("policy.l2.b"), hidden).map(Math.tanh);
  return {
    logits: affine(h2, T("policy.pi.w"), T("policy.pi.b"), 3),
    sizeMean: affine(h2, T("policy.size.w"), T("policy.size.b"), 1)[0] as number,
    value: affine(h2, T("policy.v.w"), T("policy.v.b"), 1)[0] as number,
  };
}

function affine(x: readonly number[], w: Float32Array, b: Float32Array, out: number): number[] {
  const y = Array.from(b);
  for (let i = 0; i < x.length; i++) {
    for (let o = 0; o < out; o++) {
      y[o] = (y[o] as number) + (x[i] as number) * (w[i * out + o] as number);
    }
  }
  return y.slice(0, out);
}
