/**
 * The news repository's contract as Deno tests, registered for any backend by
 * repository_contract.ts: SQLite (sqlite_repositories_test.ts) and PostgreSQL
 * (pg_repositories_test.ts) run the same cases.
 *
 * @module
 */
import assert from "node:assert/strict";
import { contentHash, titleHash } from "../../../core/news/article_hash.ts";
import { newHealth, recordFailure } from "../../../core/news/source_health.ts";
import type { NewArticle, NewsRepository } from "./news_store.ts";
import { contractCases } from "../testing/contract_cases.ts";

/** A fresh news repository on an empty, migrated store for one test, and how to remove it. */
export interface NewsHandle {
  /** The repository. */
  readonly repo: NewsRepository;
  /** Closes and removes the store. */
  dispose(): Promise<void>;
}

const H = Date.UTC(2024, 7, 8, 23);
const DAY = 86_400_000;

function article(
  n: number,
  title: string,
  publishedAt: number,
  symbols: string[] = ["BTC"],
): NewArticle {
  return {
    url: `https://a.example/${n}`,
    title,
    publisher: "P",
    publishedAt,
    feed: "rss:test",
    symbols,
    titleHash: titleHash(title, "P"),
    contentHash: contentHash(title, undefined),
  };
}

/**
 * Registers the contract's cases for one backend.
 *
 * @param backend Name in test names.
 * @param open Creates a fresh repository for one test.
 * @param skip Skip every case with this reason.
 */
export function newsContract(
  backend: string,
  open: () => Promise<NewsHandle>,
  skip?: string,
): void {
  const cases = contractCases(`${backend} news`, open, skip);
  const test = (name: string, fn: (repo: NewsRepository) => Promise<void>) =>
    cases(name, (h) => fn(h.repo));

  test("insertArticles() drops known URLs and headlines seen within the window", async (repo) => {
    const r1 = await repo.insertArticles(
      [
        article(1, "Bitcoin rallies", H),
        article(1, "Other title, same URL", H),
        article(2, "<b>BITCOIN</b> rallies!", H + 60_000), // same normalized headline
      ],
      H,
      7 * DAY,
    );
    assert.deepEqual(r1, { inserted: 1, duplicateUrl: 1, duplicateTitle: 1 });
    const r2 = await repo.insertArticles(
      [
        article(3, "Bitcoin rallies", H + 8 * DAY), // outside the 7-day window: a new story
        article(4, "Bitcoin rallies", H + 6 * DAY),
      ],
      H + 8 * DAY,
      7 * DAY,
    );
    assert.deepEqual(r2, { inserted: 1, duplicateUrl: 0, duplicateTitle: 1 });
    assert.deepEqual(
      await repo.insertArticles([article(5, "Bitcoin rallies", H)], H, 0),
      { inserted: 1, duplicateUrl: 0, duplicateTitle: 0 },
      "window 0 turns the headline check off",
    );
  });

  test("saveScore() scores an article once; pending() lists the rest oldest first", async (repo) => {
    await repo.insertArticles([article(1, "a", H), article(2, "b", H), article(3, "c", H)], H, DAY);
    const [a, b] = await repo.pending(2);
    assert.deepEqual([a!.title, b!.title], ["a", "b"]);
    const s = { score: 0.5, confidence: 0.5, rationale: "r", scorer: "x" };
    assert.equal(await repo.saveScore(a!.id, s, H), true);
    assert.equal(await repo.saveScore(a!.id, { ...s, score: -1 }, H), false);
    const recent = await repo.recent({ limit: 3 });
    assert.equal(recent.find((r) => r.id === a!.id)!.sentiment?.score, 0.5);
    assert.equal(await repo.pendingCount(), 2);
  });

  test("recent() reads articles back newest first, of one symbol when asked", async (repo) => {
    const withText = { ...article(1, "eth up", H, ["ETH", "BTC"]), description: "d" };
    await repo.insertArticles(
      [withText, article(2, "btc", H + 1), article(3, "none", H, [])],
      H,
      0,
    );
    const all = await repo.recent({ limit: 10 });
    assert.deepEqual(all.map((a) => a.title), ["btc", "none", "eth up"]);
    assert.deepEqual(all[2], {
      id: all[2]!.id,
      url: "https://a.example/1",
      title: "eth up",
      description: "d",
      source: "P",
      publishedAt: H,
      symbols: ["ETH", "BTC"],
      contentHash: withText.contentHash,
      feed: "rss:test",
      scoreNote: null,
      sentiment: null,
    });
    assert.deepEqual((await repo.recent({ limit: 10, symbol: "ETH" })).map((a) => a.title), [
      "eth up",
    ]);
    assert.deepEqual((await repo.recent({ limit: 1, symbol: "BTC" })).map((a) => a.title), [
      "btc",
    ]);
  });

  test("cached() returns the judgement putCache() stored, the newest one", async (repo) => {
    const s = { score: 0.25, confidence: 0.75, rationale: "calm", scorer: "ollama:m" };
    assert.equal(await repo.cached("h1", "ollama:m"), undefined);
    await repo.putCache("h1", s, 12.5, H);
    assert.deepEqual(await repo.cached("h1", "ollama:m"), s);
    assert.equal(await repo.cached("h1", "ollama:other"), undefined);
    await repo.putCache("h1", { ...s, score: -0.5 }, null, H + 1);
    assert.deepEqual(await repo.cached("h1", "ollama:m"), { ...s, score: -0.5 });
  });

  test("recomputeHours() writes hand-checked aggregates and stays idempotent with late articles", async (repo) => {
    await repo.insertArticles(
      [
        article(1, "one", H + 5 * 60_000, ["BTC"]),
        article(2, "two", H + 20 * 60_000, ["BTC", "ETH"]),
        article(3, "three", H + 59 * 60_000, []),
        article(4, "next hour", H + 61 * 60_000, ["ETH"]),
      ],
      H,
      DAY,
    );
    const scores: [number, number][] = [[0.8, 1], [-0.4, 0.5], [0.2, 0.25], [0.1, 1]];
    for (const [i, a] of (await repo.pending(10)).entries()) {
      const [score, confidence] = scores[i]!;
      await repo.saveScore(a.id, {
        score,
        confidence,
        rationale: "",
        scorer: i === 2 ? "lexicon:v1" : "ollama:qwen3",
      }, H);
    }
    await repo.recomputeHours([H, H + 3_600_000], H);
    const row = async (symbol: string, hour = H) =>
      (await repo.hourly({ symbol, limit: 10 })).find((r) => r.hourStart === hour)!;
    // BTC in hour H: scores 0.8 (c 1) and -0.4 (c 0.5)
    //   mean 0.2; weighted (0.8 - 0.2) / 1.5 = 0.4; dispersion |0.8 - 0.2| = 0.6 -> bullish
    const btc = await row("BTC");
    assert.equal(btc.count, 2);
    assert.ok(Math.abs(btc.mean - 0.2) < 1e-12);
    assert.ok(Math.abs(btc.weightedMean - 0.4) < 1e-12);
    assert.ok(Math.abs(btc.dispersion - 0.6) < 1e-12);
    assert.equal(btc.regime, "bullish");
    // ALL in hour H: 0.8, -0.4, 0.2 -> mean 0.2; weighted (0.8 - 0.2 + 0.05) / 1.75 = 0.3714...
    const all = await row("ALL");
    assert.equal(all.count, 3);
    assert.ok(Math.abs(all.weightedMean - 0.65 / 1.75) < 1e-12);
    assert.deepEqual(all.scorers, { "ollama:qwen3": 2, "lexicon:v1": 1 });
    assert.equal((await row("ETH")).count, 1);
    assert.equal((await row("ETH", H + 3_600_000)).mean, 0.1);

    const before = await repo.hourly({ limit: 20 });
    await repo.recomputeHours([H, H, H + 3_600_000], H + 1);
    assert.deepEqual(await repo.hourly({ limit: 20 }), before, "recomputing changes nothing");

    // A late article for hour H arrives and is scored: only hour H changes.
    await repo.insertArticles([article(5, "late", H + 30 * 60_000, ["BTC"])], H + 7_200_000, DAY);
    await repo.saveScore(
      (await repo.pending(1))[0]!.id,
      { score: -1, confidence: 1, rationale: "", scorer: "x" },
      H,
    );
    await repo.recomputeHours([H], H + 7_200_000);
    const late = await row("BTC");
    assert.equal(late.count, 3);
    assert.ok(Math.abs(late.mean - (0.8 - 0.4 - 1) / 3) < 1e-12);
    assert.ok(Math.abs(late.weightedMean - (0.8 - 0.2 - 1) / 2.5) < 1e-12);
    assert.equal(late.regime, "mixed");
    assert.deepEqual(await repo.scoredHours(), [H, H + 3_600_000]);
  });

  test("saveHealth() and health() round-trip every field", async (repo) => {
    const h = recordFailure(newHealth("rss:x", "rss", "x"), {
      at: H,
      latencyMs: 12.5,
      error: "HTTP 503",
      retryAfterMs: 120_000,
      rateLimited: false,
      minIntervalMs: 0,
    });
    await repo.saveHealth(h);
    await repo.saveHealth({ ...newHealth("newsapi", "newsapi", "n"), etag: '"e"', cursorAt: H });
    assert.deepEqual(await repo.health("rss:x"), h);
    assert.equal(await repo.health("nope"), undefined);
    assert.deepEqual((await repo.healthAll()).map((x) => [x.sourceId, x.etag, x.cursorAt]), [
      ["newsapi", '"e"', H],
      ["rss:x", null, null],
    ]);
    const again = { ...h, consecutiveFailures: 0, lastStatus: "ok" as const };
    await repo.saveHealth(again);
    assert.deepEqual(await repo.health("rss:x"), again, "a second save replaces the record");
  });
}
