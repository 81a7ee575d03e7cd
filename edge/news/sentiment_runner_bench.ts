import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { contentHash, titleHash } from "../../core/news/article_hash.ts";
import { SqliteNewsRepository } from "../../infra/store/news/news_repository.ts";
import type { NewArticle } from "../../infra/store/news/news_store.ts";
import { OllamaSentiment } from "./ollama_scorer.ts";
import { scorePending } from "./sentiment_runner.ts";
import { startFakeOllama } from "./testing/fake_ollama.ts";

const SET: { headlines: { text: string }[] } = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/news/labelled_headlines.json", import.meta.url)),
);
const N = 200;
let round = 0;

async function pendingStore(): Promise<{ store: SqliteStore; repo: SqliteNewsRepository }> {
  const store = await SqliteStore.open(":memory:");
  const repo = new SqliteNewsRepository(store.db);
  const t = Date.UTC(2024, 7, 8);
  round++;
  const items: NewArticle[] = Array.from({ length: N }, (_, i) => {
    const title = `${SET.headlines[i % SET.headlines.length]!.text} (${round}.${i})`;
    return {
      url: `https://a.example/${round}/${i}`,
      title,
      publisher: "P",
      publishedAt: t + i * 60_000,
      feed: "bench",
      symbols: ["BTC"],
      titleHash: titleHash(title, "P"),
      contentHash: contentHash(title, undefined),
    };
  });
  await repo.insertArticles(items, t, 0);
  return { store, repo };
}

Deno.bench(`scorePending() lexicon, ${N} articles incl. SQLite writes + hourly recompute`, {
  group: "scoring",
  baseline: true,
}, async (b) => {
  const { store, repo } = await pendingStore();
  b.start();
  const s = await scorePending({ repo, concurrency: 1, now: Date.now });
  await repo.recomputeHours(s.hours, Date.now());
  b.end();
  await store.close();
});

const fake = await startFakeOllama();
Deno.bench(`scorePending() FAKE Ollama (loopback, instant replies), ${N} articles, concurrency 2`, {
  group: "scoring",
}, async (b) => {
  const { store, repo } = await pendingStore();
  const llm = new OllamaSentiment({ host: fake.url, model: "qwen3", timeoutMs: 5000, retries: 0 });
  b.start();
  await scorePending({ repo, llm, concurrency: 2, now: Date.now });
  b.end();
  await store.close();
});
globalThis.addEventListener("unload", () => void fake.close());
