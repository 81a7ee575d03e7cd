import assert from "node:assert/strict";
import { main } from "../main.ts";
import { memoryOutput } from "../../infra/cli/output.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";

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

const PG_URL = Deno.env.get("TICKERML_TEST_PG_URL");

Deno.test({
  name:
    "export-recording reads the configured PostgreSQL store: the trainer's path to either backend",
  ignore: !PG_URL && Deno.env.get("CI") !== "true",
  fn: async () => {
    assert.ok(PG_URL, "CI must provide TICKERML_TEST_PG_URL (see .ci/services.d/postgres.sh)");
    const { parse, stringify } = await import("yaml");
    const { parseConfig } = await import("../../core/config.ts");
    const { openStore } = await import("../../infra/store/open_store.ts");
    const { StoreWriter } = await import("../../infra/store/store_writer.ts");
    const { replayBinanceRecording } = await import("../replay/binance_replay.ts");
    const dir = await Deno.makeTempDir({ prefix: "tickerml-export-pg-" });
    const doc = parse(await Deno.readTextFile(new URL("../../config.yaml", import.meta.url)));
    const schema = `export_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    doc.storage.backend = "postgres";
    doc.storage.postgres = { ...(doc.storage.postgres ?? {}), schema };
    await Deno.writeTextFile(`${dir}/config.yaml`, stringify(doc));
    Deno.env.set("DATABASE_URL", PG_URL);
    const store = await openStore(parseConfig(doc, "test"), { databaseUrl: PG_URL });
    const writer = new StoreWriter(store);
    const first = await replayBinanceRecording(BUNDLED_RECORDING, {
      venue: "binance_us",
      sink: writer,
    });
    await writer.flush();
    await store.close();
    const out = memoryOutput();
    const code = await main([
      "export-recording",
      "--config",
      `${dir}/config.yaml`,
      "--venue",
      "binance_us",
      "--out",
      `${dir}/pg.gz`,
    ], out);
    assert.equal(code, 0, out.err.join("\n"));
    assert.equal(await main(["replay", "--venue", "binance_us", "--json", `${dir}/pg.gz`], out), 0);
    const again = JSON.parse(out.out.at(-1)!);
    for (
      const k of ["applied", "gaps", "trades", "last_update_id", "best_bid", "best_ask"] as const
    ) {
      assert.equal(again[k], first[k], k);
    }
    Deno.env.delete("DATABASE_URL");
  },
});
