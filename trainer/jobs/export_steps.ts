/**
 * Pipeline steps "export" and "publish", on the export module
 * (trainer/export): the run's best pretrained TradingTransformer becomes a
 * model package (fp32 + INT8 ONNX and a manifest with the feature spec,
 * normalization and evaluation metrics), which is then published to an edge
 * registry directory (`--publish_dir`) or an edge's upload URL (`--publish_url`
 * with the token in TICKERML_EDGE_TOKEN). Without a target, publish reports
 * that none is configured instead of pretending.
 *
 * The RL policy is not exported: its position input is not part of the
 * exported graph (see docs/trainer.md).
 *
 * @module
 */

import { writeWindow } from "../data/dataset.ts";
import { buildPackage, writePackage } from "../export/model_package.ts";
import { checkParity } from "../export/parity.ts";
import { publishPackage, type PublishTarget } from "../export/publish.ts";
import type { EvalReport } from "../rl/evaluate.ts";
import { exists, loadModel, readDataset, runPaths } from "./artifacts.ts";
import type { RunConfig } from "./run_config.ts";
import { type StepContext, type StepHandler, StepUnavailable } from "./runner.ts";
import { setup } from "./step_support.ts";

function packageDir(paths: ReturnType<typeof runPaths>): string {
  return `${paths.dir}/package`;
}

/** The "export" step. */
export function exportStep(): StepHandler {
  return async (ctx: StepContext) => {
    const { cfg, paths } = setup(ctx);
    if (!(await exists(paths.pretrain))) {
      throw new Error(`Cannot export: ${paths.pretrain} does not exist (run pretrain first)`);
    }
    const model = await loadModel(paths.pretrain);
    const ds = await readDataset(paths.dataset);
    if (model.header.feature_spec_hash !== ds.specHash) {
      throw new Error(`Cannot export: checkpoint and dataset feature specs differ`);
    }
    const metrics: Record<string, number> = {};
    if (await exists(paths.evaluation)) {
      const ev = JSON.parse(await Deno.readTextFile(paths.evaluation)) as EvalReport;
      for (const [k, v] of Object.entries(ev.mean_net_return_pct)) {
        metrics[`net_return_pct_${k}`] = v;
      }
    }
    const best = model.header.progress.best_val;
    if (typeof best === "number") metrics.pretrain_best_val_loss = best;
    const pkg = await buildPackage({ spec: model.header.model_spec, params: model.params }, {
      version: ctx.run.run_id,
      createdAt: new Date(ctx.run.created_at).toISOString(),
      featureSpec: { hash: ds.specHash, names: [...ds.names] },
      normalization: { mean: ds.normalization.mean, std: ds.normalization.std, clip: 10 },
      metrics,
      training: { ...cfg } as Record<string, unknown>,
    });
    // Parity: the trained model's float64 forward (equal to the jax-js forward, see
    // export_parity_test.ts) vs ONNX fp32 and INT8 on held-out windows; fails loudly.
    const spec = model.header.model_spec;
    const held = [...ds.splits.test, ...ds.splits.val].slice(0, 64);
    const buf = new Float32Array(spec.windowLength * spec.featureCount);
    const windows = held.map((i) => {
      writeWindow(ds, i, buf, 0);
      return Array.from(
        { length: spec.windowLength },
        (_, t) => Array.from(buf.subarray(t * spec.featureCount, (t + 1) * spec.featureCount)),
      );
    });
    const parity = await checkParity(
      { spec, params: model.params },
      {
        fp32: pkg.files.get("model.fp32.onnx") as Uint8Array,
        int8: pkg.files.get("model.int8.onnx") as Uint8Array,
      },
      windows,
    );
    if (!parity.passed) {
      throw new Error(`Cannot export: parity check failed: ${parity.failures.join("; ")}`);
    }
    pkg.manifest.metrics.parity_fp32_max_abs_diff = parity.fp32_max_abs_diff;
    pkg.manifest.metrics.parity_int8_action_agreement = parity.int8_action_agreement;
    pkg.manifest.metrics.parity_int8_max_head_diff = parity.int8_max_head_diff;
    await writePackage(pkg, packageDir(paths));
    return {
      parity,
      package: packageDir(paths),
      version: pkg.manifest.version,
      files: Object.fromEntries(
        Object.entries(pkg.manifest.files).map(([k, f]) => [k, f?.bytes ?? 0]),
      ),
    };
  };
}

function target(cfg: RunConfig): PublishTarget | undefined {
  if (cfg.publish_dir !== undefined) return { registryDir: cfg.publish_dir };
  if (cfg.publish_url !== undefined) {
    const token = Deno.env.get("TICKERML_EDGE_TOKEN");
    if (token === undefined) {
      throw new Error("Cannot publish: --publish_url needs TICKERML_EDGE_TOKEN");
    }
    return { url: cfg.publish_url, token };
  }
  return undefined;
}

/** The "publish" step. */
export function publishStep(): StepHandler {
  return async (ctx: StepContext) => {
    const { cfg, paths } = setup(ctx);
    const t = target(cfg);
    if (t === undefined) {
      return new StepUnavailable(
        "no publish target configured: pass --publish_dir or --publish_url",
      );
    }
    const r = await publishPackage(packageDir(paths), t);
    return { version: r.version, target: r.target };
  };
}
