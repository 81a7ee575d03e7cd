import assert from "node:assert/strict";
import { defaultInstruments } from "../../core/market/instruments.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { runReplay } from "../cli/replay_command.ts";
import { memoryOutput } from "../../infra/cli/output.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { loadRecordedEvents } from "../features/recorded_events.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { listArchive, readArchiveEvents } from "./archive_files.ts";
import { RetentionRunner } from "./retention_runner.ts";
import { applyRetention, ArchiveVerifyError, retentionActive, verify } from "./retention.ts";

const HOUR = 3_600_000;
/** The newest receive time of the fixture. */
const CLOCK = Date.parse("2024-08-09T12:00:00Z");
const CONFIG = new URL("../../config.yaml", import.meta.url).pathname;

/** A store holding the bundled Binance.US recording plus a few Kraken events (checksums, odd ids). */
async function fixtureStore(dir: string): Promise<SqliteStore> {
  const path = `${dir}/s.db`;
  const summary = await runReplay([...BUNDLED_RECORDING], {
    venue: "binance_us",
    symbol: "BTC/USDT",
    snapshotIntervalMs: 10_000,
    store: path,
    out: memoryOutput(),
    progress: false,
  });
  assert.ok(summary.lines > 0);
  const store = await SqliteStore.open(path);
  const t0 = Date.parse("2024-08-08T10:15:00Z");
  const k = { venue: "kraken" as const, symbol: "BTC/USD" };
  const kraken: MarketEvent[] = [
    {
      kind: "snapshot",
      ...k,
      exchangeTime: t0,
      receiveTime: t0 + 0.25,
      sequence: 0,
      bids: [[6000000 as never, 150000000 as never]],
      asks: [[6000100 as never, 2500000 as never]],
    },
    {
      kind: "delta",
      ...k,
      exchangeTime: t0 + 5,
      receiveTime: t0 + 6,
      firstSequence: 0,
      lastSequence: 0,
      bids: [[6000000 as never, 0 as never]],
      asks: [],
      checksum: 3_141_592_653,
    },
    {
      kind: "trade",
      ...k,
      exchangeTime: t0 + 7,
      receiveTime: t0 + 8,
      tradeId: "9007199254740993-x",
      price: 6000100 as never,
      size: 1000 as never,
      takerSide: "buy",
    },
    {
      kind: "trade",
      ...k,
      exchangeTime: t0 + HOUR,
      receiveTime: t0 + HOUR + 1,
      tradeId: "42",
      price: 6000100 as never,
      size: 1000 as never,
      takerSide: "sell",
    },
    // The newest data (the data's clock): its hour is the current one, never archived by age.
    {
      kind: "trade",
      ...k,
      exchangeTime: CLOCK,
      receiveTime: CLOCK + 0.5,
      tradeId: "43",
      price: 6000100 as never,
      size: 1000 as never,
      takerSide: "sell",
    },
  ];
  // The harvester records every book's instrument; the replay above records only Binance.US's.
  await store.putInstruments(defaultInstruments().filter((i) => i.venue === "kraken"));
  await store.writeBatch({ events: kraken });
  return store;
}

async function marketRows(store: SqliteStore): Promise<number> {
  const c = await store.tableCounts();
  return c.book_deltas! + c.trades! + c.order_books!;
}

Deno.test("retention archives closed hours, verified, deletes them, and the archive replays to the same book", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-retention-" });
  const store = await fixtureStore(dir);
  try {
    const storedBefore = await Array.fromAsync(store.readEvents({ venue: "binance_us" }));
    const rowsBefore = await marketRows(store);
    const archiveDir = `${dir}/archive`;
    // No policy: nothing happens.
    assert.equal(retentionActive({ archiveDir }), false);
    const now = Date.parse("2024-08-09T12:00:00Z");
    // Age policy of 48 h: nothing is old enough yet.
    let r = await applyRetention(store, { archiveDir, archiveAfterHours: 48 }, { now });
    assert.equal(r.archived_hours, 0);
    assert.equal(await marketRows(store), rowsBefore);
    // 1 h: every closed hour goes.
    r = await applyRetention(store, { archiveDir, archiveAfterHours: 1 }, { now });
    assert.deepEqual(r.errors, []);
    assert.ok(r.archived_hours >= 3, JSON.stringify(r));
    assert.equal(r.archived_rows, rowsBefore - 1);
    assert.equal(await marketRows(store), 1); // the current hour of the data stays
    const files = (await listArchive(archiveDir)).map((f) => f.path);
    const binance = files.filter((f) =>
      f.includes("/binance_us/BTC-USDT/") && !f.includes(".books.")
    );
    assert.ok(binance.length >= 1);
    // The Binance replay reads the archive unchanged and ends on the same book as the store's
    // events (and as the original recording).
    const fromArchive = await replayBinanceRecording(binance, { venue: "binance_us" });
    const original = await replayBinanceRecording([...BUNDLED_RECORDING], { venue: "binance_us" });
    assert.equal(fromArchive.bad_lines, 0);
    for (
      const key of [
        "best_bid",
        "best_ask",
        "best_bid_size",
        "bid_levels",
        "ask_levels",
        "last_update_id",
        "trades",
        "gaps",
      ] as const
    ) {
      assert.equal(fromArchive[key], original[key], key);
    }
    // The features reader takes the archive too: same events as stored, in order.
    const featureEvents = await loadRecordedEvents(binance, "binance_us");
    assert.equal(featureEvents.events.length, storedBefore.length);
    assert.equal(featureEvents.summary.bad_lines, 0);
    // Kraken events (checksum, a trade id that is not a number) round-trip exactly.
    const krakenFiles = files.filter((f) => f.includes("/kraken/BTC-USD/"));
    assert.equal(krakenFiles.length, 2);
    const inst = defaultInstruments().find((i) => i.venue === "kraken" && i.symbol === "BTC/USD")!;
    const back = await readArchiveEvents(krakenFiles[0]!, inst);
    assert.equal(back.length, 3);
    assert.equal((back[1] as { checksum?: number }).checksum, 3_141_592_653);
    assert.equal((back[2] as { tradeId: string }).tradeId, "9007199254740993-x");
    assert.equal(back[0]!.receiveTime, Date.parse("2024-08-08T10:15:00Z") + 0.25);

    // A size cap on the archive deletes the oldest files only.
    const total = (await listArchive(archiveDir)).reduce((s, f) => s + f.bytes, 0);
    r = await applyRetention(store, { archiveDir, maxArchiveBytes: total - 1 }, { now });
    assert.ok(r.deleted_archive_files >= 1);
    const left = (await listArchive(archiveDir)).map((f) => f.path);
    assert.ok(!left.includes(files[0]!) && left.includes(files.at(-1)!));
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("retention: an interrupted run (file written, rows not yet deleted) finishes without a second file; a mismatch keeps the rows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-retention-crash-" });
  const store = await fixtureStore(dir);
  try {
    const archiveDir = `${dir}/archive`;
    const now = Date.parse("2024-08-09T12:00:00Z");
    const copy = `${dir}/copy.db`;
    store.db.exec(`VACUUM INTO '${copy}'`);
    await applyRetention(store, { archiveDir, archiveAfterHours: 1 }, { now });
    const files = await listArchive(archiveDir);
    // The copy still has every row: as if the process died after writing the files.
    const again = await SqliteStore.open(copy);
    try {
      const r = await applyRetention(again, { archiveDir, archiveAfterHours: 1 }, { now });
      assert.deepEqual(r.errors, []);
      assert.equal(r.archive_bytes_written, 0);
      assert.equal(await marketRows(again), 1);
      assert.deepEqual(await listArchive(archiveDir), files);
    } finally {
      await again.close();
    }
    // verify() refuses an archive that does not reproduce the rows.
    const inst = defaultInstruments().find((i) => i.venue === "kraken" && i.symbol === "BTC/USD")!;
    const path = files.find((f) =>
      f.path.includes("/kraken/") && !f.path.includes(".books.")
    )!.path;
    const events = await readArchiveEvents(path, inst);
    const tampered = events.map((e) =>
      e.kind === "trade" ? { ...e, size: (e.size + 1) as never } : e
    );
    await assert.rejects(() => verify(path, inst, tampered, []), ArchiveVerifyError);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RetentionRunner applies the configured policy in the writing process, and nothing without one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-retention-runner-" });
  const store = await fixtureStore(dir);
  try {
    const base = (await loadConfig(CONFIG, { env: {}, envFile: "/nonexistent" })).config;
    const now = () => Date.parse("2024-08-09T12:00:00Z");
    const rows = await marketRows(store);
    const idle = new RetentionRunner(store, base, { now });
    assert.equal(idle.active, false);
    idle.start();
    await idle.stop();
    assert.equal(await marketRows(store), rows);
    const config = {
      ...base,
      storage: {
        ...base.storage,
        retention: {
          ...base.storage.retention,
          archive_after_hours: 2,
          archive_dir: `${dir}/archive`,
        },
      },
    };
    const logs: string[] = [];
    const runner = new RetentionRunner(store, config, { now, log: (l) => logs.push(l) });
    const report = await runner.runOnce();
    await runner.stop();
    assert.ok(report && report.archived_hours > 0 && report.errors.length === 0);
    assert.equal(await marketRows(store), 1);
    assert.match(logs.join("\n"), /retention: archived \d+ book-hours/);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
