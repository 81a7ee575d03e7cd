import assert from "node:assert/strict";
import { main } from "../main.ts";
import { memoryOutput } from "./output.ts";
import { BUNDLED_RECORDING } from "./demo_command.ts";

Deno.test("status reports freshness, row counts, model and sentiment of a store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-status-" });
  const out = memoryOutput();
  assert.equal(
    await main(["replay", "--store", `${dir}/s.db`, "--json", ...BUNDLED_RECORDING], out),
    0,
  );
  assert.equal(await main(["status", "--store", `${dir}/s.db`, "--json"], out), 0);
  const s = JSON.parse(out.out.at(-1)!);
  assert.equal(s.rows.trades, 19_904);
  assert.equal(s.rows.book_deltas, 6_495);
  assert.deepEqual(
    s.data_freshness.map((f: { venue: string; symbol: string }) => `${f.venue} ${f.symbol}`),
    [
      "binance BTC/USDT",
    ],
  );
  assert.ok(s.data_freshness[0].age_s > 0);
  assert.equal(s.risk, null);
  assert.deepEqual(s.last_decisions, []);
  assert.equal(await main(["status", "--store", `${dir}/missing.db`], out), 1);
  assert.match(out.err.at(-1)!, /no store at/);
});
