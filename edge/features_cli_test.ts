import assert from "node:assert/strict";
import { main } from "./main.ts";
import { memoryOutput } from "../infra/cli/output.ts";
import { BTCUSDT_RECORDING } from "./features/recorded_events.ts";

/** Runs `edge/main.ts features` with console output captured. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    const kit = memoryOutput();
    const code = await main(["features", ...args], kit);
    return { code, out: [...out, ...kit.out].join("\n"), err: [...err, ...kit.err].join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("features CLI --check-lookahead --check-warmup --json on the recording", async () => {
  const r = await run([
    "--check-lookahead",
    "--check-warmup",
    "--json",
    "--samples",
    "5",
    ...BTCUSDT_RECORDING,
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.events, 26_400);
  assert.equal(j.violations, 0);
  assert.equal(j.checks[0].check, "lookahead");
  assert.equal(j.checks[0].checked, 5);
  assert.deepEqual(j.checks[0].features, []);
  assert.equal(j.checks[1].check, "warmup");
  assert.equal(j.checked, 5 + 120);
  assert.match(j.spec_hash, /^[0-9a-f]{64}$/);
});

Deno.test("features CLI --out writes the dataset with empty cells for missing values", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/features.csv`;
    const r = await run(["--out", out, "--json", ...BTCUSDT_RECORDING]);
    assert.equal(r.code, 0, r.err);
    const lines = (await Deno.readTextFile(out)).trim().split("\n");
    const header = (lines[0] as string).split(",");
    assert.equal(header[0], "time_ms");
    assert.equal(lines.length - 1, JSON.parse(r.out).rows);
    const cells = (lines.at(-1) as string).split(",");
    assert.equal(cells[header.indexOf("tech.rsi_14")], "", "11 bars: RSI(14) not stable, empty");
    assert.equal(cells[header.indexOf("tech.missing")], "1");
    assert.equal(cells[header.indexOf("binance.btc_usdt.book.mid")], "61602.015");
    assert.ok(!lines.some((l) => /NaN|Infinity/.test(l)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("features CLI reports bad usage and unreadable files with exit code 2", async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run(["--interval-ms", "0", ...BTCUSDT_RECORDING])).code, 2);
  assert.equal((await run(["--bogus"])).code, 2);
  const missing = await run(["--check-lookahead", "/nonexistent/file.gz"]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nonexistent/);
});
