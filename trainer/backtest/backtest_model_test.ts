/**
 * The backtester's `--model`: an exported package (testdata/models/pooled_2streams, trained by
 * `deno task export --streams binance_us:BTC/USDT,binance_us:ETH/USDT` on the four-stream
 * recording) decides the streams its manifest serves, the baseline the others, and its
 * decisions and fills are those of the edge's `trade --replay` with the same package (the
 * shared inference path, stream one-hot included: same fills fingerprint).
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { parseConfig } from "../../core/config.ts";
import { venueBookSync } from "../../core/market/venue_book_sync.ts";
import { tradedInstruments } from "../../core/traded_streams.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { engineConfigFromConfig } from "../../core/trading/engine/engine_config.ts";
import { modelFigures, NoServedStreamError, openBacktestModel } from "./backtest_model.ts";
import { readRecordings } from "./recording.ts";
import { runBacktest } from "./run.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FILE = `${ROOT}testdata/portfolio/sim_4streams.events.jsonl.gz`;
const PACKAGE = `${ROOT}testdata/models/pooled_2streams`;
/** The same streams with the stream as an input (`--stream-input`: manifest `stream_inputs`). */
const PACKAGE_ID = `${ROOT}testdata/models/pooled_2streams_id`;
const yaml = await Deno.readTextFile(`${ROOT}config.yaml`);
const config = parseConfig(parse(yaml), "config.yaml");
const VERSION = "20261208T020612055Z-4b7994";

Deno.test("the package decides the streams it serves, the baseline the others, visibly", async () => {
  const m = await openBacktestModel(
    [PACKAGE],
    tradedInstruments(config),
    baselineStrategy("imbalance"),
    1000,
  );
  try {
    assert.deepEqual(m.lines, [
      `binance_us BTC/USDT: model ${VERSION}`,
      `binance_us ETH/USDT: model ${VERSION}`,
      `coinbase BTC/USD: baseline imbalance (no installed model serves it (${VERSION}))`,
      `coinbase ETH/USD: baseline imbalance (no installed model serves it (${VERSION}))`,
    ]);
    assert.deepEqual([...m.models.keys()], ["binance_us:BTC/USDT", "binance_us:ETH/USDT"]);
    assert.equal(m.strategy.name, "model+imbalance");
  } finally {
    await m.release();
  }
  const coinbase = tradedInstruments(config).filter((i) => i.venue === "coinbase");
  await assert.rejects(
    () => openBacktestModel([PACKAGE], coinbase, baselineStrategy("imbalance"), 1000),
    NoServedStreamError,
  );
});

Deno.test("backtesting the model (stream as input) gives the fills of the edge's trade --replay with it", async () => {
  // The two streams the package serves (no Coinbase baseline losses to trip the account's
  // loss-streak cooldown, so the model's own entries fill).
  const two = yaml.replace(
    /^ {4}- \{ venue: coinbase, symbol: ETH?\/USD \}\n|^ {4}- \{ venue: coinbase, symbol: BTC\/USD \}\n/gm,
    "",
  );
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/config.yaml`, two);
    const cfg = parseConfig(parse(two), "config.yaml");
    const instruments = tradedInstruments(cfg);
    assert.equal(instruments.length, 2);
    const m = await openBacktestModel(
      [PACKAGE_ID],
      instruments,
      baselineStrategy("imbalance"),
      1000,
    );
    let result;
    try {
      result = await runBacktest(readRecordings([FILE]), {
        instruments,
        strategy: m.strategy,
        beforeEvent: m.beforeEvent,
        baselines: [],
        configure: () => ({
          ...engineConfigFromConfig(cfg, instruments, venueBookSync),
          keepLedgerEntries: false,
          keepDecisions: false,
        }),
      });
    } finally {
      await m.release();
    }
    const fig = modelFigures(m);
    for (const s of Object.values(fig.streams)) {
      assert.equal(s.failures, 0);
      assert.ok(s.predictions > 300, `${s.predictions} predictions`);
    }
    const tested = result.results[0]!;
    assert.ok(tested.net.fills > 10, `the model trades: ${tested.net.fills} fills`);
    const edge = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}edge/main.ts`,
        "trade",
        "--replay",
        FILE,
        "--model",
        PACKAGE_ID,
        "--config",
        `${dir}/config.yaml`,
        "--json",
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(edge.success, new TextDecoder().decode(edge.stderr));
    const out = JSON.parse(new TextDecoder().decode(edge.stdout));
    assert.equal(out.fills, tested.net.fills);
    assert.equal(out.fingerprint, result.fingerprint);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
