import assert from "node:assert/strict";
import { main } from "../main.ts";
import { memoryOutput } from "./output.ts";
import { BUNDLED_RECORDING } from "./demo_command.ts";

Deno.test("export-recording writes a stored book back as a recording that replays identically", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-export-rec-" });
  const out = memoryOutput();
  assert.equal(
    await main([
      "replay",
      "--venue",
      "binance_us",
      "--store",
      `${dir}/s.db`,
      "--json",
      ...BUNDLED_RECORDING,
    ], out),
    0,
  );
  const first = JSON.parse(out.out.at(-1)!);
  assert.equal(
    await main([
      "export-recording",
      "--store",
      `${dir}/s.db`,
      "--venue",
      "binance_us",
      "--symbol",
      "BTC/USDT",
      "--out",
      `${dir}/r.gz`,
    ], out),
    0,
  );
  assert.match(out.out.at(-1)!, /r\.gz: 26400 frames of binance_us BTC\/USDT/);
  assert.equal(await main(["replay", "--venue", "binance_us", "--json", `${dir}/r.gz`], out), 0);
  const again = JSON.parse(out.out.at(-1)!);
  for (
    const k of [
      "applied",
      "gaps",
      "trades",
      "last_update_id",
      "best_bid",
      "best_ask",
      "bid_levels",
      "ask_levels",
    ]
  ) {
    assert.equal(again[k], first[k], k);
  }
  assert.equal(again.bad_lines, 0);
  assert.equal(
    await main(
      ["export-recording", "--store", `${dir}/s.db`, "--venue", "kraken", "--out", "x"],
      out,
    ),
    2,
  );
});
