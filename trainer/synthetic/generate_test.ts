import assert from "node:assert/strict";
import { newReadStats, readRecordings } from "../backtest/recording.ts";
import { generateMarket } from "./generate.ts";
import { DEFAULT_PROCESS, MarketProcess } from "./market_process.ts";

async function sha(path: string): Promise<string> {
  const gz = await Deno.readFile(path);
  const raw = new Uint8Array(
    await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")))
      .arrayBuffer(),
  );
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", raw)))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("generated market: deterministic by seed, read back by the trainer's reader", async () => {
  const dir = await Deno.makeTempDir();
  const gen = (seed: number, sub: string) =>
    generateMarket({
      process: { ...DEFAULT_PROCESS, kind: "planted", seed },
      hours: 0.05,
      dir: `${dir}/${sub}`,
    });
  const a = await gen(3, "a");
  const b = await gen(3, "b");
  const c = await gen(4, "c");
  assert.equal(a.files.length, 4);
  for (let i = 0; i < 4; i++) {
    assert.equal(await sha(a.files[i] as string), await sha(b.files[i] as string));
  }
  assert.notEqual(await sha(a.files[0] as string), await sha(c.files[0] as string));
  const stats = newReadStats();
  const streams: string[] = [];
  const kinds = new Set<string>();
  for await (const e of readRecordings(a.files, { stats })) {
    const k = `${e.venue} ${e.symbol}`;
    if (!streams.includes(k)) streams.push(k);
    kinds.add(e.kind);
  }
  assert.equal(stats.bad, 0, stats.errors.join("; "));
  assert.equal(stats.lines, a.lines);
  assert.deepEqual(streams, [
    "binance_us BTC/USDT",
    "binance_us ETH/USDT",
    "binance BTC/USDT",
    "binance ETH/USDT",
  ]);
  assert.deepEqual([...kinds].sort(), ["delta", "snapshot", "trade"]);
  await Deno.remove(dir, { recursive: true });
});

/** corr(s_t, next h-second return of the traded mid) and the sd of that return, bps. */
function predictability(kind: "planted" | "null", steps: number, h: number) {
  const p = new MarketProcess({ ...DEFAULT_PROCESS, kind, seed: 11 });
  const s: number[] = [];
  const mid: number[] = [];
  for (let t = 0; t < steps; t++) {
    const st = p.step()[0] as { s: number; mids: number[] };
    s.push(st.s);
    mid.push(st.mids[0] as number);
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = 0; t + h < steps; t += h) {
    xs.push(s[t] as number);
    ys.push(Math.log((mid[t + h] as number) / (mid[t] as number)) * 1e4);
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs), my = mean(ys);
  let sxy = 0, sxx = 0, syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] as number;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return { corr: sxy / Math.sqrt(sxx * syy), sd: Math.sqrt(syy / ys.length) };
}

Deno.test("planted: the pressure predicts the next 15 s; null: same return variance, no link", () => {
  const planted = predictability("planted", 150_000, 15);
  const nul = predictability("null", 150_000, 15);
  assert.ok(planted.corr > 0.3 && planted.corr < 0.7, `planted corr ${planted.corr}`);
  assert.ok(Math.abs(nul.corr) < 0.04, `null corr ${nul.corr}`);
  assert.ok(Math.abs(planted.sd / nul.sd - 1) < 0.08, `sd ${planted.sd} vs ${nul.sd}`);
});

Deno.test("oracle edge: pays the fees on planted, never on null", async () => {
  const dir = await Deno.makeTempDir();
  const run = (kind: "planted" | "null") =>
    generateMarket({
      process: { ...DEFAULT_PROCESS, kind, seed: 5, symbols: DEFAULT_PROCESS.symbols.slice(0, 1) },
      hours: 3,
      dir: `${dir}/${kind}`,
    });
  const planted = await run("planted");
  const nul = await run("null");
  assert.ok(planted.oracle.best.mean_net_bps > 0.5, JSON.stringify(planted.oracle.best));
  assert.ok(planted.oracle.best.mean_gross_bps < 10, "no free lunch: a few bps per round trip");
  // rows with enough round trips in 3 h to mean something (the strictest threshold has a handful)
  const sized = nul.oracle.rows.filter((r) => r.trades_per_day * 3 / 24 >= 100);
  assert.ok(sized.length >= 3);
  for (const r of sized) assert.ok(r.mean_net_bps < 0, JSON.stringify(r));
  await Deno.remove(dir, { recursive: true });
});
