import assert from "node:assert/strict";
import { formatDuration, renderProgress } from "./progress_bar.ts";
import { stepKey, type StepRecord } from "./records.ts";
import { JobRunner } from "./runner.ts";
import { resultLines, statusLines } from "./status.ts";

Deno.test("renderProgress() shows the bar, step, loss and ETA", () => {
  assert.equal(
    renderProgress("pretrain", 25, 100, 0.81234, 30_000, 8),
    "pretrain [##......] 25/100 loss 0.8123 ETA 1:30",
  );
  assert.equal(formatDuration(3_725_000), "1:02:05");
  assert.equal(renderProgress("rl", 0, 10, Number.NaN, 0, 4), "rl [....] 0/10 loss - ETA ?");
});

Deno.test("statusLines() lists runs with step states, live progress and dead letters", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const runner = new JobRunner({ kv, handlers: {}, clock: () => 1_700_000_000_000 });
    const id = await runner.createRun(["dataset", "pretrain"], {});
    const running: StepRecord = {
      status: "running",
      attempts: 1,
      heartbeat_at: 1,
      progress: { step: 3, total: 10, loss: 0.5, eta_ms: 65_000 },
    };
    await kv.set(stepKey(id, "dataset"), running);
    await runner.handle({ kind: "nonsense" });
    const lines = await statusLines(kv);
    assert.match(lines[0] ?? "", new RegExp(`run ${id}  running`));
    assert.match(lines[1] ?? "", /dataset\s+running\s+attempts 1 {2}3\/10 loss 0\.5000 ETA 1:05/);
    assert.match(lines[2] ?? "", /pretrain\s+pending\s+attempts 0/);
    assert.match(
      lines.join("\n"),
      /dead letters: 1\n.*poisoned message: unknown message kind "nonsense"/,
    );
  } finally {
    kv.close();
  }
});

Deno.test("resultLines() summarizes RL returns, experience replay and verdicts", () => {
  const lines = resultLines({
    first_mean_return: -1,
    last_mean_return: 0.5,
    experience: {
      used: 55,
      read: 144,
      replay_steps: 20,
      outcome_check_bps: 0.004,
      skipped: { "no outcome": 25 },
    },
    verdict: "The policy does NOT beat flat net of costs.",
  }).map((l) => l.trim());
  assert.deepEqual(lines, [
    "mean episode return -1.000 -> 0.500",
    "experience: 55 of 144 records replayed, 20 replay steps, outcome check 0.00 bps (left out: 25 no outcome)",
    "The policy does NOT beat flat net of costs.",
  ]);
  assert.deepEqual(resultLines(undefined), []);
  const parity = resultLines({
    parity: {
      fp32_max_abs_diff: 4.3e-7,
      int8_action_agreement_node: 1,
      int8_action_agreement_web: 0.995,
      int8_max_head_diff: 0.0413,
      fp32_margin_median: 0.397,
      int8_confident_margin: 0.5,
      int8_confident_share: 0.3,
      int8_confident_agreement: 1,
    },
  }).map((l) => l.trim());
  assert.deepEqual(parity, [
    "parity: fp32 max abs diff 4.3e-7; INT8 agrees with fp32 on 100.0 % (onnxruntime-node), 99.5 % (onnxruntime-web), max head diff 0.041; fp32 margin median 0.397, 30.0 % of decisions ≥ 0.5, INT8 agrees on 100.0 % of them",
  ]);
});
