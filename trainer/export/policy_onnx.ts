import { ATTENTION_OUTPUT, MODEL_OUTPUTS, POSITION_INPUT } from "../../core/model/model_io.ts";
import { type ModelWeights, validateWeights } from "../../core/model/model_weights.ts";
import { buildEncoderGraph, type LinearOp, linearWriter } from "./encoder_onnx.ts";
import { DataType, type OnnxGraphBuilder } from "./onnx_graph.ts";
import { POLICY_HEADS, type PolicyTensors, validatePolicy } from "./policy_weights.ts";
import type { ExportOptions } from "./transformer_onnx.ts";

/** What the policy part of the graph computes from z and the position. */
interface PolicyNodes {
  logits: string;
  sizeMean: string;
  value: string;
}

/**
 * Writes an RL-tuned policy (trainer/rl/policy.ts, "heads" or "mlp") on the
 * TradingTransformer encoder `w` it was trained on, as an opset-17 ONNX graph
 * with two inputs, `features` `[batch, T, F]` and `position` `[batch, 1]` (the
 * position fraction), and the outputs of the pretrained graph under the same
 * names and widths:
 *
 * - `price`, `risk` (and `attention`): the pretrained heads, as in
 *   {@linkcode exportTransformerOnnx};
 * - `action_logits`, `action_probs`, `value`: the policy;
 * - `position_size`: sigmoid of the policy's size mean, i.e. the order size
 *   the trainer's greedy rule uses (`orderSize` in trainer/rl/env.ts).
 *
 * In "int8" the encoder and the pretrained heads are quantized as in the
 * pretrained graph; the policy's small matmuls stay fp32.
 *
 * @returns The serialized model.
 * @throws {RangeError} When the weights or the policy do not match their shapes.
 */
export function exportPolicyOnnx(
  w: ModelWeights,
  policy: PolicyTensors,
  options: ExportOptions,
): Uint8Array {
  validateWeights(w);
  const d = w.spec.dModel;
  const network = validatePolicy(policy, d);
  const { g, last, attention, dense } = buildEncoderGraph(
    w,
    options.precision,
    options.int8WeightRange,
  );
  const position = g.input(POSITION_INPUT, DataType.FLOAT, ["batch", 1]);
  g.node("Identity", [dense(last, "heads.price", d, MODEL_OUTPUTS.price)], { outputs: ["price"] });
  g.node("Sigmoid", [dense(last, "heads.risk", d, MODEL_OUTPUTS.risk)], { outputs: ["risk"] });
  const linear = linearWriter(g, "fp32");
  const nodes = network === "heads"
    ? headsPolicy(g, linear, policy, { z: last, position, d })
    : mlpPolicy(g, linear, policy, { z: last, position, d });
  g.node("Identity", [nodes.logits], { outputs: ["action_logits"] });
  g.node("Softmax", ["action_logits"], { outputs: ["action_probs"], attrs: { axis: -1 } });
  g.node("Sigmoid", [nodes.sizeMean], { outputs: ["position_size"] });
  g.node("Identity", [nodes.value], { outputs: ["value"] });
  for (const [name, width] of Object.entries(MODEL_OUTPUTS)) {
    g.output(name, DataType.FLOAT, ["batch", width]);
  }
  if (options.attention) {
    const { heads: H, windowLength: T } = w.spec;
    g.node("Identity", [attention], { outputs: [ATTENTION_OUTPUT] });
    g.output(ATTENTION_OUTPUT, DataType.FLOAT, ["batch", H, T, T]);
  }
  return g.encode({
    graphName: `rl_policy_${network}`,
    producer: "tickerml",
    ...(options.docString ? { docString: options.docString } : {}),
  });
}

interface PolicyInputs {
  z: string;
  position: string;
  d: number;
}

function tensorData(p: PolicyTensors, name: string): Float32Array {
  return (p.get(name) as { data: Float32Array }).data;
}

/** logits/size/value = z·W + b + position·P per RL-tuned head. */
function headsPolicy(
  g: OnnxGraphBuilder,
  linear: LinearOp,
  p: PolicyTensors,
  x: PolicyInputs,
): PolicyNodes {
  const out: Record<string, string> = {};
  for (const [h, width] of POLICY_HEADS) {
    const zw = linear(x.z, {
      wName: `rl.heads.${h}.w`,
      bName: `rl.heads.${h}.b`,
      w: tensorData(p, `heads.${h}.w`),
      b: tensorData(p, `heads.${h}.b`),
      inDim: x.d,
      outDim: width,
    });
    const pos = g.float(`rl.policy.pos.${h}`, [1, width], tensorData(p, `policy.pos.${h}`));
    out[h] = g.node("Add", [zw, g.node("MatMul", [x.position, pos])]);
  }
  return {
    logits: out.action_logits as string,
    sizeMean: out.position_size as string,
    value: out.value as string,
  };
}

/** Two tanh layers over Concat(z, position), then the choice, size and value layers. */
function mlpPolicy(
  g: OnnxGraphBuilder,
  linear: LinearOp,
  p: PolicyTensors,
  x: PolicyInputs,
): PolicyNodes {
  const hidden = tensorData(p, "policy.l1.b").length;
  const layer = (input: string, name: string, inDim: number, outDim: number) =>
    linear(input, {
      wName: `rl.policy.${name}.w`,
      bName: `rl.policy.${name}.b`,
      w: tensorData(p, `policy.${name}.w`),
      b: tensorData(p, `policy.${name}.b`),
      inDim,
      outDim,
    });
  const obs = g.node("Concat", [x.z, x.position], { attrs: { axis: 1 } });
  const h1 = g.node("Tanh", [layer(obs, "l1", x.d + 1, hidden)]);
  const h2 = g.node("Tanh", [layer(h1, "l2", hidden, hidden)]);
  return {
    logits: layer(h2, "pi", hidden, 3),
    sizeMean: layer(h2, "size", hidden, 1),
    value: layer(h2, "v", hidden, 1),
  };
}
