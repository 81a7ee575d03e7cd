import assert from "node:assert/strict";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { contentHash, titleHash } from "../../core/news/article_hash.ts";
import { SqliteNewsRepository } from "../../infra/store/news/news_repository.ts";
import { OllamaSentiment } from "./ollama_scorer.ts";
import { scorePending } from "./sentiment_runner.ts";
import { startFakeOllama } from "./testing/fake_ollama.ts";

const T = Date.UTC(2024, 7, 8, 22);

async function withPending(n: number) {
  const store = await SqliteStore.open(":memory:");
  const repo = new SqliteNewsRepository(store.db);
  await repo.insertArticles(
    Array.from({ length: n }, (_, i) => ({
      url: `https://a.example/${i}`,
      title: `Bitcoin surges ${i}`,
      publisher: "P",
      publishedAt: T + i * 20 * 60_000,
      feed: "t",
      symbols: ["BTC"],
      titleHash: titleHash(`Bitcoin surges ${i}`, "P"),
      contentHash: contentHash(`Bitcoin surges ${i}`, undefined),
    })),
    T,
    0,
  );
  return { store, repo };
}

Deno.test("scorePending() keeps at most `concurrency` model requests in flight", async () => {
  const { store, repo } = await withPending(8);
  const fake = await startFakeOllama({ delayMs: 150 });
  try {
    const llm = new OllamaSentiment({
      host: fake.url,
      model: "qwen3",
      timeoutMs: 5000,
      retries: 0,
    });
    const s = await scorePending({ repo, llm, concurrency: 3, now: () => T });
    assert.equal(s.scored, 8);
    assert.equal(fake.maxInFlight(), 3);
    assert.equal(s.llmLatencyMs.length, 8);
    assert.deepEqual(s.hours, [T, T + 3_600_000, T + 7_200_000]);
  } finally {
    await Promise.all([fake.close(), store.close()]);
  }
});

Deno.test("scorePending() without a model scores with the lexicon and no fallback note", async () => {
  const { store, repo } = await withPending(3);
  try {
    const s = await scorePending({ repo, concurrency: 2, now: () => T });
    assert.deepEqual(
      { scored: s.scored, by: s.byScorer, llm: s.llm, fallbacks: s.fallbacks, note: s.llmNote },
      { scored: 3, by: { "lexicon:v1": 3 }, llm: "off", fallbacks: 0, note: undefined },
    );
    assert.ok(
      (await repo.recent({ limit: 3 })).every((a) =>
        a.scoreNote === null && a.sentiment!.score > 0
      ),
    );
    assert.equal((await scorePending({ repo, concurrency: 2, now: () => T })).scored, 0);
  } finally {
    await store.close();
  }
});
