import assert from "node:assert/strict";
import { EDGE_COMMANDS, main } from "./main.ts";
import { flagWarnings } from "../infra/cli/flags.ts";
import { assertKitRules } from "../infra/cli/kit_check.ts";
import { memoryOutput } from "../infra/cli/output.ts";
import { BUNDLED_RECORDING } from "../infra/bundled_data.ts";

Deno.test("main replay --json prints exactly one JSON object with the summary fields", async () => {
  const out = memoryOutput();
  const code = await main(["replay", "--json", ...BUNDLED_RECORDING], out);
  assert.equal(code, 0);
  assert.equal(out.out.length, 1);
  const s = JSON.parse(out.out[0]!);
  for (
    const k of [
      "depth_msgs",
      "applied",
      "gaps",
      "crossed",
      "trades",
      "trade_id_gaps",
      "last_update_id",
      "best_bid",
      "best_ask",
      "bid_levels",
      "ask_levels",
      "bad_lines",
    ]
  ) {
    assert.ok(k in s, k);
  }
  assert.equal(s.applied, 6_493);
  assert.equal(s.best_bid, "61602.01000000");
});

Deno.test("main replay --store writes the store and prints a readable summary", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-main-" });
  const out = memoryOutput();
  const code = await main(["replay", "--store", `${dir}/r.db`, ...BUNDLED_RECORDING], out);
  assert.equal(code, 0);
  const text = out.out.join("\n");
  assert.match(text, /applied 6,493, stale 2, gaps 0, crossed 0/);
  assert.match(text, /trades 19,904/);
  assert.match(text, /book_deltas 6,495, trades 19,904/);
});

Deno.test("main exits 2 with one clear message on bad usage or a broken config", async () => {
  const out = memoryOutput();
  assert.equal(await main(["replay"], out), 2);
  assert.match(out.err.at(-1)!, /no recording files given/);
  assert.equal(await main(["replay", "--bogus", "x"], out), 2);
  assert.equal(await main(["nope"], out), 2);
  const dir = await Deno.makeTempDir({ prefix: "tickerml-cfg-" });
  await Deno.writeTextFile(`${dir}/bad.yaml`, "symbols: [BTC/USDT]\nstorage: { backend: mysql }\n");
  assert.equal(await main(["config", "--config", `${dir}/bad.yaml`], out), 2);
  const msg = out.err.at(-1)!;
  assert.match(msg, /^Invalid configuration in .*bad\.yaml:/);
  assert.match(msg, /storage\.backend: /);
  assert.doesNotMatch(msg, /at .*\.ts:\d+/); // no stack trace
  await Deno.writeTextFile(`${dir}/notyaml.yaml`, "a: [1, 2\n");
  assert.equal(await main(["config", "--config", `${dir}/notyaml.yaml`], out), 2);
  assert.match(out.err.at(-1)!, /not valid YAML/);
  assert.equal(await main(["config", "--config", `${dir}/missing.yaml`], out), 2);
  assert.match(out.err.at(-1)!, /cannot read the file/);
});

Deno.test("the replay command exits 2 in a real process for a broken config", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-proc-" });
  await Deno.writeTextFile(`${dir}/c.yaml`, "symbols: 3\n");
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./main.ts", import.meta.url).pathname,
      "config",
      "--config",
      `${dir}/c.yaml`,
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const r = await cmd.output();
  assert.equal(r.code, 2);
  const err = new TextDecoder().decode(r.stderr);
  assert.match(err, /symbols: /);
  assert.doesNotMatch(err, /error: Uncaught/);
});

Deno.test("main replay --format cryptofeed replays a recording through the real Kraken parser", async () => {
  const prefix = new URL("../testdata/cryptofeed/KRAKEN", import.meta.url).pathname;
  const code = await main([
    "replay",
    "--format",
    "cryptofeed",
    "--venue",
    "kraken",
    "--json",
    prefix,
  ], memoryOutput());
  assert.equal(code, 0);
  const out = memoryOutput();
  assert.equal(await main(["replay", "--format", "csv", "x"], out), 2);
  assert.match(out.err.at(-1)!, /--format must be binance or cryptofeed/);
});

Deno.test("every edge command answers --help with its usage (exit 0) and names a bad flag (exit 2)", async () => {
  await assertKitRules(EDGE_COMMANDS, main);
  const list = memoryOutput();
  assert.equal(await main(["--help"], list), 0);
  for (const name of ["features", "export-data", "soak", "harvest", "simulate", "trade"]) {
    assert.match(list.out[0]!, new RegExp(`\\n  ${name} `), name);
  }
});

Deno.test("an old snake_case flag still works on the edge, with a deprecation warning", async () => {
  const warned: string[] = [];
  const warn = flagWarnings.warn;
  flagWarnings.warn = (l) => void warned.push(l);
  try {
    const out = memoryOutput();
    assert.equal(await main(["config", "--help"], out), 0);
    const bad = memoryOutput();
    assert.equal(await main(["trade", "--run_id"], bad), 2);
    assert.match(bad.err.join("\n"), /option --run-id needs a value/);
  } finally {
    flagWarnings.warn = warn;
  }
  assert.deepEqual(warned, ["warning: --run_id is deprecated; use --run-id"]);
});
