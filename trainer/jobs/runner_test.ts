import assert from "node:assert/strict";
import {
  DEAD_PREFIX,
  type DeadLetter,
  runKey,
  type RunRecord,
  stepKey,
  type StepRecord,
} from "./records.ts";
import { JobRunner, type StepHandler, StepUnavailable } from "./runner.ts";

async function withKv(fn: (kv: Deno.Kv) => Promise<void>, path = ":memory:"): Promise<void> {
  const kv = await Deno.openKv(path);
  try {
    await fn(kv);
  } finally {
    try {
      kv.close();
    } catch { /* already closed by the test */ }
  }
}

async function deadLetters(kv: Deno.Kv): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const e of kv.list<DeadLetter>({ prefix: DEAD_PREFIX })) out.push(e.value);
  return out;
}

const ok: StepHandler = () => Promise.resolve({ ok: true });

Deno.test("JobRunner runs the steps of a run in order and marks it done", async () => {
  await withKv(async (kv) => {
    const order: string[] = [];
    const h = (name: string): StepHandler => () => (order.push(name), Promise.resolve({ name }));
    const runner = new JobRunner({
      kv,
      handlers: { dataset: h("dataset"), pretrain: h("pretrain"), rl: h("rl") },
    });
    const listening = runner.listen();
    const id = await runner.createRun(["dataset", "pretrain", "rl"], { epochs: 1 });
    assert.equal((await runner.waitForRun(id, 10)).status, "done");
    assert.deepEqual(order, ["dataset", "pretrain", "rl"]);
    assert.deepEqual((await kv.get<StepRecord>(stepKey(id, "rl"))).value?.result, { name: "rl" });
    kv.close();
    await listening;
  });
});

Deno.test("JobRunner ignores duplicate deliveries: concurrent and after completion", async () => {
  await withKv(async (kv) => {
    let calls = 0;
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow: StepHandler = async () => {
      calls++;
      await gate;
      return {};
    };
    const runner = new JobRunner({ kv, handlers: { dataset: slow, pretrain: ok } });
    const id = await runner.createRun(["dataset", "pretrain"], {});
    const msg = { kind: "run_step", run_id: id, step: "dataset", attempt: 1 };
    const first = runner.handle(msg);
    await new Promise((r) => setTimeout(r, 20));
    await runner.handle(msg); // delivered again while running
    release();
    await first;
    await runner.handle(msg); // delivered again after done
    await kv.enqueue(msg); // and through the queue
    const listening = runner.listen();
    assert.equal((await runner.waitForRun(id, 10)).status, "done");
    assert.equal(calls, 1);
    assert.equal((await kv.get<StepRecord>(stepKey(id, "dataset"))).value?.attempts, 1);
    kv.close();
    await listening;
  });
});

Deno.test("JobRunner sends poisoned messages and exhausted retries to the dead letters", async () => {
  await withKv(async (kv) => {
    let attempts = 0;
    const failing: StepHandler = () => {
      attempts++;
      return Promise.reject(new Error("disk on fire"));
    };
    const runner = new JobRunner({
      kv,
      handlers: { dataset: failing },
      maxAttempts: 3,
      backoffMs: [5, 10],
    });
    const listening = runner.listen();
    await kv.enqueue("garbage");
    await kv.enqueue({ kind: "run_step", run_id: "x", step: "bogus", attempt: 1 });
    const id = await runner.createRun(["dataset"], {});
    const run = await runner.waitForRun(id, 10);
    assert.equal(run.status, "failed");
    assert.match(run.reason ?? "", /disk on fire/);
    assert.equal(attempts, 3);
    const step = (await kv.get<StepRecord>(stepKey(id, "dataset"))).value;
    assert.equal(step?.status, "dead");
    while ((await deadLetters(kv)).length < 3) await new Promise((r) => setTimeout(r, 10));
    const dead = await deadLetters(kv);
    assert.ok(dead.some((d) => d.message === "garbage" && /poisoned/.test(d.error)));
    assert.ok(dead.some((d) => /unknown step "bogus"/.test(d.error)));
    assert.ok(dead.some((d) => /failed 3 times: disk on fire/.test(d.error)));
    kv.close();
    await listening;
  });
});

Deno.test("JobRunner stops a run at a step that is not available yet, without faking it", async () => {
  await withKv(async (kv) => {
    const runner = new JobRunner({
      kv,
      handlers: {
        evaluate: ok,
        export: () => Promise.resolve(new StepUnavailable("owned by the export issue")),
      },
    });
    const listening = runner.listen();
    const id = await runner.createRun(["evaluate", "export", "publish"], {});
    const run = await runner.waitForRun(id, 10);
    assert.equal(run.status, "incomplete");
    assert.equal((await kv.get<StepRecord>(stepKey(id, "export"))).value?.status, "unavailable");
    assert.equal((await kv.get<StepRecord>(stepKey(id, "publish"))).value?.status, "pending");
    kv.close();
    await listening;
  });
});

Deno.test("JobRunner resumes a step after its process crashed mid-job", async () => {
  const dir = await Deno.makeTempDir();
  const kvPath = `${dir}/jobs.sqlite`;
  const progress = `${dir}/progress.txt`;
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-kv",
      new URL("./testing/crash_child.ts", import.meta.url).pathname,
      kvPath,
      progress,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(child.code, 3, new TextDecoder().decode(child.stderr));
  const id = new TextDecoder().decode(child.stdout).trim();
  let now = Date.now();
  await withKv(async (kv) => {
    const st = (await kv.get<StepRecord>(stepKey(id, "pretrain"))).value;
    assert.equal(st?.status, "running", "the crash left the step claimed");
    let resumedFrom = -1;
    const runner = new JobRunner({
      kv,
      clock: () => now,
      leaseMs: 60_000,
      handlers: {
        pretrain: async () => {
          resumedFrom = Number(await Deno.readTextFile(progress));
          return { resumed_from: resumedFrom };
        },
      },
    });
    assert.equal(await runner.recover(), 0, "lease still held: not recovered yet");
    now += 61_000;
    const listening = runner.listen();
    assert.equal(await runner.recover(), 1);
    const run = await runner.waitForRun(id, 10);
    assert.equal(run.status, "done");
    assert.equal(resumedFrom, 1);
    const rec = (await kv.get<StepRecord>(stepKey(id, "pretrain"))).value;
    assert.equal(rec?.attempts, 2);
    assert.equal((await kv.get<RunRecord>(runKey(id))).value?.status, "done");
    kv.close();
    await listening;
  }, kvPath);
  await Deno.remove(dir, { recursive: true });
});
