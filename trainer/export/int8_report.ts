/**
 * INT8 figures of a trained run: the current scheme (weights ±63) and the former
 * full range (±127), each through onnxruntime-node (this CPU's native kernels)
 * and onnxruntime-web (the edge's WASM build), plus how often the AVX2 u8s8
 * kernel (x86 without VNNI), emulated (int8_emulation.ts), picks fp32's action.
 *
 * INT8 vs fp32 agreement is no generalization figure, so training windows count
 * too (after the held-out ones).
 *
 * `deno run -A trainer/main.ts int8-report RUN_DIR [--windows N]` (RUN_DIR holds
 * pretrain.ckpt and dataset.json, e.g. `<out>/<run id>` of `deno task train`).
 *
 * @module
 */
import { parseFlags } from "../../infra/cli/flags.ts";
import { UsageError } from "../../infra/cli/usage_error.ts";
import { writeWindow } from "../data/dataset.ts";
import { loadModel, readDataset } from "../jobs/artifacts.ts";
import { int8Forward, kernelStats } from "./int8_emulation.ts";
import { checkParity } from "./parity.ts";
import { exportTransformerOnnx } from "./transformer_onnx.ts";
import { referenceForward } from "./reference_forward.ts";

const USAGE = "usage: deno run -A trainer/main.ts int8-report RUN_DIR [--windows N]";

/**
 * The `int8-report` command: prints the table.
 *
 * @param args RUN_DIR and `--windows N`.
 * @returns The exit code.
 */
export async function int8ReportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    usage: USAGE,
    allowPositionals: true,
    options: { windows: { type: "string", default: "400" } },
  });
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError(`no RUN_DIR given\n${USAGE}`);
  const model = await loadModel(`${dir}/pretrain.ckpt`);
  const ds = await readDataset(`${dir}/dataset.json`);
  const spec = model.header.model_spec;
  const w = { spec, params: model.params };
  const { windowLength: T, featureCount: F } = spec;
  const buf = new Float32Array(T * F);
  const windows = [...ds.splits.test, ...ds.splits.val, ...ds.splits.train]
    .slice(0, Number(values.windows)).map(
      (i) => {
        writeWindow(ds, i, buf, 0);
        return Array.from({ length: T }, (_, t) => Array.from(buf.subarray(t * F, (t + 1) * F)));
      },
    );
  const fp32 = exportTransformerOnnx(w, { precision: "fp32" });
  const argmax = (v: readonly number[]) => v.indexOf(Math.max(...v));
  console.log(`${dir}: ${windows.length} windows (test, validation, then training split)`);
  console.log(
    "| weights | node agreement | web agreement | max head diff node / web | max logit diff | node vs web | AVX2 u8s8 (emulated) vs fp32 agreement, saturated pairs |",
  );
  console.log("|---|---|---|---|---|---|---|");
  let margins = "";
  for (const range of [63, 127]) {
    const int8 = exportTransformerOnnx(w, { precision: "int8", int8WeightRange: range });
    const r = await checkParity(w, { fp32, int8 }, windows);
    margins = `fp32 top-2 logit margin: min ${r.fp32_margin_min.toFixed(4)}, median ${
      r.fp32_margin_median.toFixed(4)
    }; share with margin >= ${r.int8_confident_margin}: ${r.int8_confident_share.toFixed(3)}`;
    const stats = kernelStats();
    let agree = 0;
    for (const x of windows) {
      const e = int8Forward(w, x, { weightRange: range, kernel: "avx2_u8s8", stats });
      const f = referenceForward(w, x);
      if (argmax(e.actionLogits) === argmax(f.actionLogits)) agree++;
    }
    console.log(
      `| ±${range} | ${r.int8_action_agreement_node.toFixed(4)} | ${
        r.int8_action_agreement_web.toFixed(4)
      } | ${r.int8_max_head_diff_node.toFixed(4)} / ${r.int8_max_head_diff_web.toFixed(4)} | ${
        r.int8_max_logit_diff.toFixed(4)
      } | ${r.int8_node_web_max_diff.toExponential(1)} | ${
        (agree / windows.length).toFixed(4)
      }, ${stats.saturated} of ${stats.pairs} |`,
    );
  }
  console.log(margins);
  return 0;
}
