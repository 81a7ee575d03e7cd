import assert from "node:assert/strict";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { contentHash, titleHash } from "./article_hash.ts";
import { type NewArticle, NewsRepository } from "../../infra/store/news/news_repository.ts";
import { newHealth, recordFailure } from "../../core/news/source_health.ts";

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

async function open() {
  const store = await SqliteStore.open(":memory:");
  return { store, repo: new NewsRepository(store.db) };
}

Deno.test("insertArticles() drops known URLs and headlines seen within the window", async () => {
  const { store, repo } = await open();
  try {
    const r1 = repo.insertArticles(
      [
        article(1, "Bitcoin rallies", H),
        article(1, "Other title, same URL", H),
        article(2, "<b>BITCOIN</b> rallies!", H + 60_000), // same normalized headline
      ],
      H,
      7 * DAY,
    );
    assert.deepEqual(r1, { inserted: 1, duplicateUrl: 1, duplicateTitle: 1 });
    const r2 = repo.insertArticles(
      [
        article(3, "Bitcoin rallies", H + 8 * DAY), // outside the 7-day window: a new story
        article(4, "Bitcoin rallies", H + 6 * DAY),
      ],
      H + 8 * DAY,
      7 * DAY,
    );
    assert.deepEqual(r2, { inserted: 1, duplicateUrl: 0, duplicateTitle: 1 });
    assert.deepEqual(
      repo.insertArticles([article(5, "Bitcoin rallies", H)], H, 0),
      { inserted: 1, duplicateUrl: 0, duplicateTitle: 0 },
      "window 0 turns the headline check off",
    );
  } finally {
    await store.close();
  }
});

Deno.test("saveScore() scores an article once; pending() lists the rest oldest first", async () => {
  const { store, repo } = await open();
  try {
    repo.insertArticles([article(1, "a", H), article(2, "b", H), article(3, "c", H)], H, DAY);
    const [a, b] = repo.pending(2);
    assert.deepEqual([a!.title, b!.title], ["a", "b"]);
    const s = { score: 0.5, confidence: 0.5, rationale: "r", scorer: "x" };
    assert.equal(repo.saveScore(a!.id, s, H), true);
    assert.equal(repo.saveScore(a!.id, { ...s, score: -1 }, H), false);
    assert.equal(repo.recent({ limit: 3 }).find((r) => r.id === a!.id)!.sentiment?.score, 0.5);
    assert.equal(repo.pendingCount(), 2);
  } finally {
    await store.close();
  }
});

Deno.test("recomputeHours() writes hand-checked aggregates and stays idempotent with late articles", async () => {
  const { store, repo } = await open();
  try {
    repo.insertArticles(
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
    for (const [i, a] of repo.pending(10).entries()) {
      const [score, confidence] = scores[i]!;
      repo.saveScore(a.id, {
        score,
        confidence,
        rationale: "",
        scorer: i === 2 ? "lexicon:v1" : "ollama:qwen3",
      }, H);
    }
    repo.recomputeHours([H, H + 3_600_000], H);
    const row = (symbol: string, hour = H) =>
      repo.hourly({ symbol, limit: 10 }).find((r) => r.hourStart === hour)!;
    // BTC in hour H: scores 0.8 (c 1) and -0.4 (c 0.5)
    //   mean 0.2; weighted (0.8 - 0.2) / 1.5 = 0.4; dispersion |0.8 - 0.2| = 0.6 -> bullish
    const btc = row("BTC");
    assert.equal(btc.count, 2);
    assert.ok(Math.abs(btc.mean - 0.2) < 1e-12);
    assert.ok(Math.abs(btc.weightedMean - 0.4) < 1e-12);
    assert.ok(Math.abs(btc.dispersion - 0.6) < 1e-12);
    assert.equal(btc.regime, "bullish");
    // ALL in hour H: 0.8, -0.4, 0.2 -> mean 0.2; weighted (0.8 - 0.2 + 0.05) / 1.75 = 0.3714...
    const all = row("ALL");
    assert.equal(all.count, 3);
    assert.ok(Math.abs(all.weightedMean - 0.65 / 1.75) < 1e-12);
    assert.deepEqual(all.scorers, { "ollama:qwen3": 2, "lexicon:v1": 1 });
    assert.equal(row("ETH").count, 1);
    assert.equal(row("ETH", H + 3_600_000).mean, 0.1);

    const before = repo.hourly({ limit: 20 });
    repo.recomputeHours([H, H, H + 3_600_000], H + 1);
    assert.deepEqual(repo.hourly({ limit: 20 }), before, "recomputing changes nothing");

    // A late article for hour H arrives and is scored: only hour H changes.
    repo.insertArticles([article(5, "late", H + 30 * 60_000, ["BTC"])], H + 7_200_000, DAY);
    repo.saveScore(
      repo.pending(1)[0]!.id,
      { score: -1, confidence: 1, rationale: "", scorer: "x" },
      H,
    );
    repo.recomputeHours([H], H + 7_200_000);
    const late = row("BTC");
    assert.equal(late.count, 3);
    assert.ok(Math.abs(late.mean - (0.8 - 0.4 - 1) / 3) < 1e-12);
    assert.ok(Math.abs(late.weightedMean - (0.8 - 0.2 - 1) / 2.5) < 1e-12);
    assert.equal(late.regime, "mixed");
    assert.deepEqual(repo.scoredHours(), [H, H + 3_600_000]);
  } finally {
    await store.close();
  }
});

Deno.test("saveHealth() and health() round-trip every field", async () => {
  const { store, repo } = await open();
  try {
    const h = recordFailure(newHealth("rss:x", "rss", "x"), {
      at: H,
      latencyMs: 12.5,
      error: "HTTP 503",
      retryAfterMs: 120_000,
      rateLimited: false,
      minIntervalMs: 0,
    });
    repo.saveHealth(h);
    repo.saveHealth({ ...newHealth("newsapi", "newsapi", "n"), etag: '"e"', cursorAt: H });
    assert.deepEqual(repo.health("rss:x"), h);
    assert.equal(repo.health("nope"), undefined);
    assert.deepEqual(repo.healthAll().map((x) => [x.sourceId, x.etag, x.cursorAt]), [
      ["newsapi", '"e"', H],
      ["rss:x", null, null],
    ]);
  } finally {
    await store.close();
  }
});
