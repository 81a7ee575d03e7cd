/**
 * RL policy parameters as the export module sees them (the tensors of
 * `rl_policy.ckpt`, see trainer/rl/policy.ts): which network they form and
 * whether their shapes fit the encoder they run on.
 *
 * @module
 */

/** Policy tensors by name (a `HostPolicy` fits). */
export type PolicyTensors = ReadonlyMap<
  string,
  { readonly shape: readonly number[]; readonly data: Float32Array }
>;

/**
 * The policy's network: "heads" (RL-tuned transformer heads plus linear
 * position terms) or "mlp" (two tanh layers over [z, position]).
 */
export type PolicyNetwork = "heads" | "mlp";

/** Widths of the heads policy's outputs. */
export const POLICY_HEADS = [["action_logits", 3], ["position_size", 1], ["value", 1]] as const;

/** The network of `p`, told apart by parameter names as policyForward does. */
export function policyNetwork(p: PolicyTensors): PolicyNetwork {
  if (p.has("heads.action_logits.w")) return "heads";
  if (p.has("policy.l1.w")) return "mlp";
  throw new RangeError(
    "Cannot read the RL policy: it has neither heads.action_logits.w nor policy.l1.w",
  );
}

function expectedShapes(p: PolicyTensors, dModel: number): [string, number[]][] {
  if (policyNetwork(p) === "heads") {
    return [
      ...POLICY_HEADS.flatMap(([h, width]): [string, number[]][] => [
        [`heads.${h}.w`, [dModel, width]],
        [`heads.${h}.b`, [width]],
        [`policy.pos.${h}`, [1, width]],
      ]),
      ["policy.size.log_std", [1]],
    ];
  }
  const hidden = p.get("policy.l1.w")?.shape[1] ?? 0;
  return [
    ["policy.l1.w", [dModel + 1, hidden]],
    ["policy.l1.b", [hidden]],
    ["policy.l2.w", [hidden, hidden]],
    ["policy.l2.b", [hidden]],
    ["policy.pi.w", [hidden, 3]],
    ["policy.pi.b", [3]],
    ["policy.size.w", [hidden, 1]],
    ["policy.size.b", [1]],
    ["policy.size.log_std", [1]],
    ["policy.v.w", [hidden, 1]],
    ["policy.v.b", [1]],
  ];
}

/**
 * Checks that `p` is a complete policy over an encoder of width `dModel`.
 *
 * @returns The network kind.
 * @throws {RangeError} Naming the first missing or mis-shaped tensor.
 */
export function validatePolicy(p: PolicyTensors, dModel: number): PolicyNetwork {
  for (const [name, shape] of expectedShapes(p, dModel)) {
    const t = p.get(name);
    if (t === undefined) throw new RangeError(`Cannot use the RL policy: ${name} is missing`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (t.shape.join(",") !== shape.join(",") || t.data.length !== size) {
      throw new RangeError(
        `Cannot use the RL policy: ${name} must be [${shape}] for d_model ${dModel}, got [${t.shape}] with ${t.data.length} values`,
      );
    }
  }
  return policyNetwork(p);
}
