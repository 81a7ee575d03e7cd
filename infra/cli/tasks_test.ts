/**
 * deno.json's tasks are thin aliases of the runtimes' entry points (benchmarks, and the quality
 * gate's own checkers in tools/, excepted).
 */
import assert from "node:assert/strict";

const ENTRY_POINTS = ["edge/main.ts", "trainer/main.ts", "web/main.ts"];

Deno.test("every deno task that runs a command goes through edge/, trainer/ or web/main.ts", async () => {
  const deno = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  ) as { tasks: Record<string, string | { command: string }> };
  const offenders: string[] = [];
  let aliases = 0;
  for (const [name, task] of Object.entries(deno.tasks)) {
    const command = typeof task === "string" ? task : task.command;
    for (const run of command.split("&&").filter((c) => /\bdeno run\b/.test(c))) {
      const script = run.trim().split(/\s+/).find((w) => w.endsWith(".ts"));
      if (script && ENTRY_POINTS.includes(script)) {
        aliases++;
        const after = run.slice(run.indexOf(script) + script.length).trim().split(/\s+/)[0];
        assert.match(after ?? "", /^[a-z][a-z0-9-]*$/, `${name}: ${run} names no command`);
      } else if (!/^(bench|perf):/.test(name) && !script?.startsWith("tools/")) {
        offenders.push(`${name}: ${run.trim()}`);
      }
    }
  }
  assert.deepEqual(offenders, [], "tasks that bypass the entry points");
  assert.ok(aliases >= 25, `only ${aliases} aliases`);
});
