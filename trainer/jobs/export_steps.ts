/**
 * Pipeline steps "export" and "publish", on the export module
 * (trainer/export): the run's RL policy on its pretrained encoder (graph
 * inputs `features` and `position`), or with `--export-policy pretrained` (or
 * when the run has no policy) the best pretrained TradingTransformer, becomes a
 * model package (fp32 + INT8 ONNX and a manifest with the feature spec,
 * normalization, policy kind and evaluation metrics), which is then published
 * to an edge registry directory (`--publish-dir`) or an edge's upload URL
 * (`--publish-url` with the token in EDGE_PUBLISH_TOKEN). Without a target,
 * publish reports that none is configured instead of pretending.
 *
 * @module
 */

import { writeWindow } from "../data/dataset.ts";
import { buildPackage, writePackage } from "../export/model_package.ts";
import { checkParity } from "../export/parity.ts";
import { checkPolicyParity } from "../export/policy_parity.ts";
import { publishPackage, type PublishTarget } from "../export/publish.ts";
import type { EvalReport } from "../rl/evaluate.ts";
import { exists, loadModel, readDataset, runPaths } from "./artifacts.ts";
import { policyToExport } from "./export_policy.ts";
import type { RunConfig } from "./run_config.ts";
import { type StepContext, type StepHandler, StepUnavailable } from "./runner.ts";
import { setup } from "./step_support.ts";
import { loadSecrets } from "../../infra/config/secrets.ts";

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
    const policy = await policyToExport(cfg, paths, model);
    const spec = model.header.model_spec;
    const weights = { spec, params: model.params };
    const pkg = await buildPackage(weights, {
      version: ctx.run.run_id,
      createdAt: new Date(ctx.run.created_at).toISOString(),
      featureSpec: { hash: ds.specHash, names: [...ds.names] },
      normalization: { mean: ds.normalization.mean, std: ds.normalization.std, clip: 10 },
      metrics,
      training: { ...cfg, exported: policy ? "rl" : "pretrained" } as Record<string, unknown>,
      ...(policy ? { policy } : {}),
      ...(ds.streams ? { serves: ds.streams } : {}),
      ...(ds.stream_inputs ? { streamInputs: ds.stream_inputs } : {}),
    });
    // Parity: the trained model's float64 forward (equal to the jax-js forward, see
    // trainer/nn/export_parity_test.ts and trainer/export/reference_policy_test.ts) vs
    // ONNX fp32 and INT8 on held-out windows (RL: × positions 0, 0.1, 0.25); fails loudly.
    const held = [...ds.splits.test, ...ds.splits.val].slice(0, 64);
    const buf = new Float32Array(spec.windowLength * spec.featureCount);
    const windows = held.map((i) => {
      writeWindow(ds, i, buf, 0);
      return Array.from(
        { length: spec.windowLength },
        (_, t) => Array.from(buf.subarray(t * spec.featureCount, (t + 1) * spec.featureCount)),
      );
    });
    const models = {
      fp32: pkg.files.get("model.fp32.onnx") as Uint8Array,
      int8: pkg.files.get("model.int8.onnx") as Uint8Array,
    };
    const parity = policy
      ? await checkPolicyParity(weights, policy.tensors, models, windows)
      : await checkParity(weights, models, windows);
    if (!parity.passed) {
      throw new Error(`Cannot export: parity check failed: ${parity.failures.join("; ")}`);
    }
    for (const [k, v] of Object.entries(parity)) {
      if (typeof v === "number" && k !== "windows") pkg.manifest.metrics[`parity_${k}`] = v;
    }
    await writePackage(pkg, packageDir(paths));
    return {
      policy: pkg.manifest.policy,
      parity,
      package: packageDir(paths),
      version: pkg.manifest.version,
      files: Object.fromEntries(
        Object.entries(pkg.manifest.files).map(([k, f]) => [k, f?.bytes ?? 0]),
      ),
    };
  };
}

async function target(cfg: RunConfig): Promise<PublishTarget | undefined> {
  if (cfg.publish_dir !== undefined) return { registryDir: cfg.publish_dir };
  if (cfg.publish_url !== undefined) {
    // One token name on both sides: the edge's endpoint checks EDGE_PUBLISH_TOKEN (environment or .env).
    const token = (await loadSecrets()).publishToken;
    if (!token) {
      throw new Error(
        `Cannot publish: --publish-url needs EDGE_PUBLISH_TOKEN (the edge's token)${
          Deno.env.get("TICKERML_EDGE_TOKEN") ? "; TICKERML_EDGE_TOKEN is no longer read" : ""
        }`,
      );
    }
    return { url: cfg.publish_url, token };
  }
  return undefined;
}

/** The "publish" step. */
export function publishStep(): StepHandler {
  return async (ctx: StepContext) => {
    const { cfg, paths } = setup(ctx);
    const t = await target(cfg);
    if (t === undefined) {
      return new StepUnavailable(
        "no publish target configured: pass --publish-dir or --publish-url",
      );
    }
    const r = await publishPackage(packageDir(paths), t);
    return { version: r.version, target: r.target };
  };
}
