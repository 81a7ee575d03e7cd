/**
 * Which policy the export step packages (`--export-policy`): the run's RL
 * policy (`rl_policy.ckpt`) when it has one ("auto", the default) or always
 * ("rl"), else the pretrained TradingTransformer ("pretrained"). An RL policy
 * is only packaged on the encoder it was trained on: this run's pretrain
 * checkpoint, unchanged since the policy was saved.
 *
 * @module
 */

import type { PackagedPolicy } from "../export/model_package.ts";
import { validatePolicy } from "../export/policy_weights.ts";
import type { Checkpoint } from "../nn/checkpoint.ts";
import { readCheckpointFile } from "../nn/checkpoint.ts";
import type { HostPolicy } from "../rl/policy.ts";
import { exists, type runPaths } from "./artifacts.ts";
import type { RunConfig } from "./run_config.ts";

/** The RL policy to package, or undefined for the pretrained model. */
export async function policyToExport(
  cfg: Pick<RunConfig, "export_policy">,
  paths: ReturnType<typeof runPaths>,
  encoder: { header: Checkpoint["header"] },
): Promise<PackagedPolicy | undefined> {
  const choice = cfg.export_policy ?? "auto"; // runs recorded before the option have none
  if (choice === "pretrained") return undefined;
  if (!(await exists(paths.policy))) {
    if (choice === "auto") return undefined;
    throw new Error(
      `Cannot export the RL policy: ${paths.policy} does not exist (run the rl step, or pass --export-policy pretrained)`,
    );
  }
  const c = await readCheckpointFile(paths.policy);
  const refuse = (why: string) =>
    new Error(
      `Cannot export the RL policy ${paths.policy}: ${why} (rerun the rl step, or pass --export-policy pretrained)`,
    );
  const trainedOn = c.header.progress.encoder;
  if (trainedOn !== paths.pretrain) {
    throw refuse(
      `it was trained on encoder ${String(trainedOn)}, not on this run's ${paths.pretrain}`,
    );
  }
  if (c.header.feature_spec_hash !== encoder.header.feature_spec_hash) {
    throw refuse("its feature spec differs from the encoder's");
  }
  if (JSON.stringify(c.header.model_spec) !== JSON.stringify(encoder.header.model_spec)) {
    throw refuse("its model spec differs from the encoder's");
  }
  const [policyTime, encoderTime] = await Promise.all(
    [paths.policy, paths.pretrain].map(async (p) => (await Deno.stat(p)).mtime?.getTime() ?? 0),
  );
  if ((encoderTime as number) > (policyTime as number)) {
    throw refuse(`${paths.pretrain} was rewritten after the policy was trained`);
  }
  const tensors: HostPolicy = new Map();
  for (const t of c.header.tensors) {
    tensors.set(t.name, { shape: t.shape, data: c.tensors.get(t.name) as Float32Array });
  }
  validatePolicy(tensors, encoder.header.model_spec.dModel);
  const algo = c.header.progress.algo;
  return { tensors, ...(typeof algo === "string" ? { algo } : {}) };
}
