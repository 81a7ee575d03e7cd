/**
 * `deno task bench:rss [--seconds 120] [--speed 10] [--runtime node|web] [--default-heap]`:
 * RSS of the live edge (`start`: 4 venues, 14 books, the bundled model, the paper trader)
 * against the simulator in its own process, sampled every second from /proc, plus the edge's
 * own breakdown (V8 heap used/total, external) from its last log line.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { runScript } from "../../infra/cli/command.ts";
import { BUNDLED_MODEL } from "../../infra/bundled_data.ts";
import { fromFileUrl } from "../../infra/file_url.ts";
import { LIVE_V8_FLAGS } from "../live/v8_flags.ts";
import { writeLiveConfig } from "./live_config.ts";
import { startSimProcess } from "./sim_process.ts";
import { rssMb } from "./soak_run.ts";

/**
 * CLI entry.
 *
 * @returns Exit code (0, or 1 when the edge failed).
 */
export async function liveRssCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    name: "deno task bench:rss",
    options: {
      seconds: { type: "string", default: "120" },
      speed: { type: "string", default: "10" },
      runtime: { type: "string", default: "node" },
      "default-heap": { type: "boolean", default: false },
    },
  });
  const dir = await Deno.makeTempDir({ prefix: "tickerml-rss-" });
  const sim = await startSimProcess(["--speed", values.speed]);
  const config = await writeLiveConfig({
    path: `${dir}/config.yaml`,
    urls: sim.urls,
    storePath: `${dir}/live.db`,
    registryDir: `${dir}/registry`,
    logDir: `${dir}/logs`,
    strategy: "model",
  });
  await Deno.writeTextFile(
    config,
    (await Deno.readTextFile(config)).replace(/ort_runtime: \w+/, `ort_runtime: ${values.runtime}`),
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(values["default-heap"] ? [] : [LIVE_V8_FLAGS]),
      "edge/main.ts",
      "start",
      "--config",
      config,
      "--no-news",
      "--model",
      BUNDLED_MODEL,
      "--duration",
      values.seconds,
    ],
    cwd: fromFileUrl(new URL("../../", import.meta.url)),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const samples: number[] = [];
  const timer = setInterval(() => {
    const mb = rssMb(child.pid);
    if (mb !== undefined) samples.push(mb);
  }, 1_000);
  const out = await child.output();
  clearInterval(timer);
  await sim.stop();
  const err = new TextDecoder().decode(out.stderr);
  const memory = err.split("\n").filter((l) => l.includes("memory:"));
  const at = (s: number) => samples[Math.min(samples.length - 1, s)] ?? null;
  console.log(
    `live edge RSS (start, 4 venues, 14 books, bundled model on onnxruntime-${values.runtime}, ${
      values["default-heap"] ? "default V8 heap" : LIVE_V8_FLAGS
    }, simulator ${values.speed}x, ${values.seconds} s):`,
  );
  console.log(
    `  RSS at 30 s ${at(30)} MB, at 60 s ${at(60)} MB, at the end ${samples.at(-1)} MB, max ${
      Math.max(...samples)
    } MB`,
  );
  console.log(`  first: ${memory[0]?.trim() ?? "-"}`);
  console.log(`  last:  ${memory.at(-1)?.trim() ?? "-"}`);
  if (out.code !== 0) console.log(err.slice(-1500));
  return out.code === 0 ? 0 : 1;
}

if (import.meta.main) {
  Deno.exit(await runScript("bench:rss", { summary: "", run: (args) => liveRssCommand(args) }));
}
