import assert from "node:assert/strict";
import { buildFeatureDataset } from "../../core/features/dataset.ts";
import { datasetCsv } from "../../core/features/dataset_csv.ts";
import { memoryOutput, UsageError } from "../../infra/cli/output.ts";
import { runReplay } from "../cli/replay_command.ts";
import { specForEvents } from "../features_cli.ts";
import { BTCUSDT_RECORDING, loadRecordedEvents } from "../features/recorded_events.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { runExportData } from "./export_data.ts";

/** A store filled from the bundled recording, plus one prediction row. */
async function filledStore(dir: string): Promise<string> {
  const path = `${dir}/store.db`;
  await runReplay([...BTCUSDT_RECORDING], {
    venue: "binance",
    symbol: "BTC/USDT",
    store: path,
    snapshotIntervalMs: 10_000,
    out: memoryOutput(),
    progress: false,
  });
  const store = await SqliteStore.open(path);
  store.db.prepare(
    `INSERT INTO predictions (timestamp, venue, symbol, model_version, action, action_probs,
      position_size, risk_score, price_pred, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    1_723_161_300_000,
    "binance",
    "BTC/USDT",
    "v1",
    "buy",
    "[0.7,0.2,0.1]",
    0.25,
    0.1,
    "[0.1,0.3,0.6]",
    4.2,
  );
  const hour = 3_600_000;
  const h22 = Date.parse("2024-08-08T22:00:00Z");
  for (const [start, score] of [[h22, 0.3], [h22 + hour, -0.4], [h22 + 2 * hour, 0.9]]) {
    store.db.prepare(
      `INSERT INTO news_sentiment_hourly (symbol, hour_start, count, mean, weighted_mean, dispersion, regime)
        VALUES ('BTC', ?, 10, 0, ?, 0, 'neutral')`,
    ).run(start as number, score as number);
  }
  await store.close();
  return path;
}

Deno.test("export-data writes ohlcv, features and predictions CSVs from the store", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await filledStore(dir);
    const out = memoryOutput();
    const code = await runExportData(["--store", store, "--out", `${dir}/dumps`, "--json"], out);
    assert.equal(code, 0, out.err.join("\n"));
    const summary = JSON.parse(out.out.join("\n"));
    assert.equal(summary.ohlcv_rows, 12);
    assert.equal(summary.feature_rows, 651);
    assert.equal(summary.prediction_rows, 1);
    const ohlcv = (await Deno.readTextFile(`${dir}/dumps/ohlcv.csv`)).trim().split("\n");
    assert.equal(ohlcv.length, 13);
    assert.equal(
      ohlcv[1],
      "binance,BTC/USDT,1723161240000,2024-08-08T23:54:00.000Z,61837.63000000,61855.37000000,61824.00000000,61828.00000000,12.43238000,875",
    );
    // Features from the store are the same bytes as features from the recording itself
    // given the same sentiment input.
    const { events } = await loadRecordedEvents(BTCUSDT_RECORDING);
    const spec = specForEvents(events);
    assert.ok(spec);
    assert.equal(summary.spec_hash, spec.hash);
    const h22 = Date.parse("2024-08-08T22:00:00Z");
    const sentiment = [[h22, 0.3], [h22 + 3_600_000, -0.4], [h22 + 7_200_000, 0.9]].map((
      [hourStart, score],
    ) => ({ symbol: "BTC", hourStart: hourStart as number, score: score as number, count: 10 }));
    const expected = datasetCsv(buildFeatureDataset(spec, events, { intervalMs: 1000, sentiment }));
    const features = await Deno.readTextFile(`${dir}/dumps/features.csv`);
    assert.equal(features, expected);
    // Sentiment: the 22:00 hour before midnight, the 23:00 hour after; never the current hour.
    const lines = features.trim().split("\n");
    const col = (lines[0] as string).split(",").indexOf("sentiment.score");
    const scoreAt = (t: number) => lines.find((l) => l.startsWith(`${t},`))?.split(",")[col];
    const midnight = Date.parse("2024-08-09T00:00:00Z");
    assert.equal(scoreAt(midnight - 1000), "0.3");
    assert.equal(scoreAt(midnight), "-0.4");
    assert.equal(scoreAt(midnight + 60_000), "-0.4");
    const predictions = (await Deno.readTextFile(`${dir}/dumps/predictions.csv`)).trim().split(
      "\n",
    );
    assert.equal(predictions.length, 2);
    assert.match(
      predictions[1] as string,
      /^1,1723161300000,binance,BTC\/USDT,v1,buy,"\[0\.7,0\.2,0\.1\]",0\.25,/,
    );
    assert.deepEqual([...Deno.readDirSync(`${dir}/dumps`)].map((e) => e.name).sort(), [
      "features.csv",
      "ohlcv.csv",
      "predictions.csv",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("export-data filters by time and rejects bad options", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await filledStore(dir);
    const out = memoryOutput();
    const args = ["--store", store, "--out", `${dir}/d`, "--json"];
    await runExportData([...args, "--from", "2024-08-09T00:00:00Z", "--to", "1723161660000"], out);
    const s = JSON.parse(out.out.join("\n"));
    assert.equal(s.ohlcv_rows, 1, "one bar starts in [00:00, 00:01)");
    assert.equal(s.prediction_rows, 0);
    await assert.rejects(() => runExportData([...args, "--from", "yesterday"], out), UsageError);
    await assert.rejects(
      () => runExportData([...args, "--primary", "kraken:BTC/USD"], out),
      /no events/,
    );
    await assert.rejects(() => runExportData([...args, "--interval-ms", "-1"], out), UsageError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
