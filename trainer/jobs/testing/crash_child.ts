/**
 * Test helper process: starts a two-step run (dataset, pretrain) on the KV file
 * given as argument; the pretrain handler saves "epoch 1" to the progress file
 * (second argument) and then kills the process mid-job.
 *
 * @module
 */

import { JobRunner } from "../runner.ts";

const [kvPath, progressPath] = Deno.args as [string, string];
const kv = await Deno.openKv(kvPath);
const runner = new JobRunner({
  kv,
  handlers: {
    dataset: () => Promise.resolve({ rows: 10 }),
    pretrain: async () => {
      await Deno.writeTextFile(progressPath, "1");
      Deno.exit(3); // crash with the step claimed and a checkpoint on disk
    },
  },
});
runner.listen();
const runId = await runner.createRun(["dataset", "pretrain"], {});
console.log(runId);
await runner.waitForRun(runId);
