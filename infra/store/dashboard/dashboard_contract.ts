/**
 * The dashboard reader's contract as Deno tests, registered for any backend: SQLite
 * (store_reader_test.ts) and PostgreSQL (pg_reader_test.ts) run the same cases over the
 * queries the dashboard's poll loop and routes use, on the tables both schemas share
 * (portfolio, predictions, news, controls, backtest reports, feed health, arbitrage,
 * instruments, bars). Rows are written through the repositories where there is one, else by
 * plain inserts (`?` placeholders; the PostgreSQL handle numbers them).
 *
 * @module
 */
import assert from "node:assert/strict";
import { contentHash, titleHash } from "../../../core/news/article_hash.ts";
import type { Repositories } from "../repositories.ts";
import { contractCases } from "../testing/contract_cases.ts";
import { latestDecision } from "./decision_queries.ts";
import { Decoder, readInstruments } from "./decoder.ts";
import {
  arbitrageAfter,
  backtestReports,
  bars,
  feedHealthAfter,
  headlinesAfter,
  lastHeadlineId,
  latestFeedHealth,
  latestSentiment,
} from "./market_queries.ts";
import { controlsChanged, instrumentCount, pollEnds } from "./poll_queries.ts";
import type { DashboardReader, Param } from "./store_reader.ts";
import {
  activeRun,
  controlsAfter,
  equityCurve,
  latestPortfolio,
  portfolioAfter,
} from "./trading_queries.ts";

/** A fresh migrated store for one test: the dashboard's reader, writers, and removal. */
export interface DashboardHandle {
  /** The reader under test. */
  readonly reader: DashboardReader;
  /** The repositories on the same store (writers). */
  readonly repos: Repositories;
  /** Runs one insert with `?` placeholders. */
  exec(sql: string, ...params: Param[]): Promise<void>;
  /** Closes and removes the store. */
  dispose(): Promise<void>;
}

const T = Date.UTC(2024, 7, 8, 23);
const plain = <V>(rows: V[]) => rows.map((r) => ({ ...r }));

/**
 * Registers the contract's cases for one backend.
 *
 * @param backend Name in test names.
 * @param open Creates a fresh store for one test.
 * @param skip Skip every case with this reason.
 */
export function dashboardContract(
  backend: string,
  open: () => Promise<DashboardHandle>,
  skip?: string,
): void {
  const test = contractCases(`${backend} dashboard reader`, open, skip);

  test("tables and columns are looked up; a missing table reads as empty", async ({ reader }) => {
    assert.equal(await reader.available(), true);
    assert.equal(reader.lastError, null);
    assert.equal(await reader.hasTable("control_commands"), true);
    assert.equal(await reader.hasTable("no_such_table"), false);
    assert.equal(await reader.hasColumn("predictions", "attention"), true);
    assert.equal(await reader.hasColumn("predictions", "no_such_column"), false);
    assert.deepEqual(await reader.all(["no_such_table"], "SELECT * FROM no_such_table"), []);
    assert.equal(await reader.get(["no_such_table"], "SELECT * FROM no_such_table"), undefined);
    await assert.rejects(
      () => reader.all(["predictions"], "SELECT no_such_column FROM predictions"),
      /Cannot read the store .*query failed/,
    );
  });

  test("portfolio: active run, latest point, points after an id, thinned curve", async (h) => {
    const { reader } = h;
    assert.equal(await activeRun(reader), null);
    assert.equal(await latestPortfolio(reader), null);
    for (const [i, equity] of [[1, 1000], [2, 990], [3, 1010]] as const) {
      await h.exec(
        `INSERT INTO portfolio_state (timestamp, run_id, cash, equity, realized_pnl,
          unrealized_pnl, fees_paid, drawdown, positions) VALUES (?, 'r1', ?, ?, 0, 0, 0.5, 0, '{}')`,
        T + i,
        equity,
        equity,
      );
    }
    assert.equal(await activeRun(reader), "r1");
    const last = await latestPortfolio(reader);
    assert.deepEqual({ ...last }, {
      id: 3,
      time: T + 3,
      run_id: "r1",
      cash: 1010,
      equity: 1010,
      realized_pnl: 0,
      unrealized_pnl: 0,
      fees_paid: 0.5,
      drawdown: 0,
    });
    assert.deepEqual((await portfolioAfter(reader, 1)).map((p) => p.id), [2, 3]);
    assert.deepEqual((await equityCurve(reader, "r1", 2)).map((p) => p.id), [1, 3]);
    assert.deepEqual(await equityCurve(reader, "other", 2), []);
    assert.equal((await pollEnds(reader)).portfolio, 3);
  });

  test("controls: the list, changes after a cursor, and the poll ends", async ({ reader, repos }) => {
    const a = await repos.controls.append("pause_entries", "dashboard", T);
    const b = await repos.controls.append("resume", "dashboard", T + 1);
    await repos.controls.settle(a.id, "applied", T + 5, "paused");
    assert.deepEqual(plain(await controlsAfter(reader, -1)).map((c) => [c.id, c.status]), [
      [b.id, "pending"],
      [a.id, "applied"],
    ]);
    const changed = plain(await controlsChanged(reader, b.id, T + 4));
    assert.deepEqual(changed, [{ ...a, status: "applied", handled_at: T + 5, detail: "paused" }]);
    assert.deepEqual(await controlsChanged(reader, b.id, T + 5), []);
    const ends = await pollEnds(reader);
    assert.deepEqual([ends.control, ends.handled], [b.id, T + 5]);
  });

  test("decisions: the newest prediction, then nothing new after the cursor", async (h) => {
    const row = (timestamp: number, action: string) => ({
      timestamp,
      venue: "binance_us",
      symbol: "BTC/USDT",
      model_version: "m1",
      action,
      action_probs: JSON.stringify({ hold: 0.2, buy: 0.7, sell: 0.1 }),
      position_size: 0.5,
      risk_score: 0.25,
      price_pred: "[0]",
      latency_ms: 1.5,
      attention: "[[0.5,0.5]]",
    });
    await h.repos.predictions.save(row(T, "hold"));
    await h.repos.predictions.save(row(T + 1, "buy"));
    const cursor = { model: 0, strategy: 0 };
    const d = await latestDecision(h.reader, cursor);
    assert.deepEqual(d, {
      source: "model",
      id: 2,
      time: T + 1,
      venue: "binance_us",
      symbol: "BTC/USDT",
      model_version: "m1",
      action: "buy",
      action_probs: { hold: 0.2, buy: 0.7, sell: 0.1 },
      position_size: 0.5,
      risk_score: 0.25,
      latency_ms: 1.5,
      attention: [[0.5, 0.5]],
    });
    assert.equal(cursor.model, 2);
    assert.equal(await latestDecision(h.reader, cursor), null);
  });

  test("news: headlines newest first and after a cursor, latest hourly sentiment", async (h) => {
    const article = (n: number, title: string, at: number, symbols: string[]) => ({
      url: `https://a.example/${n}`,
      title,
      publisher: "P",
      publishedAt: at,
      feed: "rss:test",
      symbols,
      titleHash: titleHash(title, "P"),
      contentHash: contentHash(title, undefined),
    });
    await h.repos.news.insertArticles(
      [
        article(1, "older", T, ["BTC"]),
        article(2, "newer", T + 60_000, ["ETH", "BTC"]),
      ],
      T,
      0,
    );
    for (const a of await h.repos.news.pending(10)) {
      await h.repos.news.saveScore(
        a.id,
        { score: 0.5, confidence: 1, rationale: "", scorer: "x" },
        T,
      );
    }
    await h.repos.news.recomputeHours([T], T);
    const latest = await headlinesAfter(h.reader, -1);
    assert.deepEqual(latest.map((x) => [x.title, x.symbols, x.sentiment]), [
      ["newer", ["ETH", "BTC"], 0.5],
      ["older", ["BTC"], 0.5],
    ]);
    const first = latest[1]!.id;
    assert.deepEqual((await headlinesAfter(h.reader, first)).map((x) => x.title), ["newer"]);
    assert.equal(await lastHeadlineId(h.reader), latest[0]!.id);
    assert.deepEqual(
      plain(await latestSentiment(h.reader)).map((s) => [s.symbol, s.hour_start, s.count]),
      [["ALL", T, 2], ["BTC", T, 2], ["ETH", T, 1]],
    );
  });

  test("backtest reports newest first with their metrics", async ({ reader, repos }) => {
    await repos.backtestReports.append({
      createdAt: 1,
      name: "a",
      strategy: "flat",
      periodStart: 0,
      periodEnd: 0,
      metrics: { trades: 0 },
    });
    await repos.backtestReports.append({
      createdAt: 2,
      name: "b",
      strategy: "imbalance",
      periodStart: 10,
      periodEnd: 20,
      metrics: { net_return: -0.01, best_baseline: "flat" },
    });
    const r = await backtestReports(reader);
    assert.deepEqual(r.map((x) => [x.name, x.created_at, x.metrics]), [
      ["b", 2, { net_return: -0.01, best_baseline: "flat" }],
      ["a", 1, { trades: 0 }],
    ]);
  });

  test("feed health and arbitrage: latest per book, rows after a cursor", async (h) => {
    const health = (time: number, venue: string, age: number) =>
      h.exec(
        `INSERT INTO feed_health (time, venue, symbol, msgs, msgs_per_s, latency_p50_ms,
          latency_p99_ms, gaps, resyncs, checksum_failures, crossed, stale, stale_resyncs, synced,
          age_ms) VALUES (?, ?, 'BTC/USDT', 10, 2.5, 1, 2, 0, 0, 0, 0, 0, 0, 1, ?)`,
        time,
        venue,
        age,
      );
    await health(T, "binance_us", 100);
    await health(T, "kraken", 100);
    await health(T + 1, "binance_us", 9000);
    const latest = await latestFeedHealth(h.reader, 5000);
    assert.deepEqual(latest.map((f) => [f.id, f.venue, f.time]), [
      [3, "binance_us", T + 1],
      [2, "kraken", T],
    ]);
    assert.deepEqual((await feedHealthAfter(h.reader, 1, 5000)).map((f) => f.id), [2, 3]);
    await h.exec(
      `INSERT INTO arbitrage_opportunities (symbol, buy_venue, sell_venue, start, "end",
        duration_ms, edge_bps_open, edge_bps_max, size_max, buy_price, sell_price, reason)
        VALUES ('BTC/USDT', 'kraken', 'binance_us', ?, ?, 1000, 12.5, 15, 0.25, 100, 100.15, 'gone')`,
      T,
      T + 1000,
    );
    const arb = await arbitrageAfter(h.reader, -1);
    assert.deepEqual(arb.map((a) => [a.id, a.buy_venue, a.end, a.edge_bps_max, a.reason]), [
      [1, "kraken", T + 1000, 15, "gone"],
    ]);
    assert.deepEqual(await arbitrageAfter(h.reader, 1), []);
    const ends = await pollEnds(h.reader);
    assert.deepEqual([ends.feed, ends.arb], [3, 1]);
  });

  test("instruments and 1-minute bars decode with the instrument's decimals", async (h) => {
    await h.exec(
      `INSERT INTO instruments (venue, symbol, venue_symbol, base, quote, price_decimals,
        size_decimals, price_text_decimals, size_text_decimals, tick_size, lot_size)
        VALUES ('binance_us', 'BTC/USDT', 'BTCUSDT', 'BTC', 'USDT', 2, 4, 2, 4, 1, 1)`,
    );
    assert.equal(await instrumentCount(h.reader), 1);
    const instruments = await readInstruments(h.reader);
    assert.deepEqual(instruments, [
      { venue: "binance_us", symbol: "BTC/USDT", price_decimals: 2, size_decimals: 4 },
    ]);
    for (const [i, close] of [[0, 6_000_050], [1, 6_000_150]] as const) {
      await h.exec(
        `INSERT INTO ohlcv (venue, symbol, start, open, high, low, close, volume, trades)
          VALUES ('binance_us', 'BTC/USDT', ?, 6000000, 6000200, 5999900, ?, 12500, 3)`,
        T + i * 60_000,
        close,
      );
    }
    const decoder = new Decoder(instruments);
    const got = await bars(h.reader, decoder, {
      venue: "binance_us",
      symbol: "BTC/USDT",
      limit: 1,
    });
    assert.deepEqual(got, [{
      time: (T + 60_000) / 1000,
      open: 60000,
      high: 60002,
      low: 59999,
      close: 60001.5,
      volume: 1.25,
    }]);
  });
}
