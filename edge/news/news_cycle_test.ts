import assert from "node:assert/strict";
import { symbolTagger } from "../../core/news/symbol_tags.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { type CycleDeps, runNewsCycle } from "./news_cycle.ts";
import { NewsSourceError } from "./news_errors.ts";
import { SqliteNewsRepository } from "../../infra/store/news/news_repository.ts";
import { type NewsSource, rssSource, type SourceRead } from "./news_sources.ts";
import { OllamaSentiment } from "./ollama_scorer.ts";
import { startFakeOllama } from "./testing/fake_ollama.ts";
import { closedPort, serveLoopback } from "./testing/loopback_server.ts";

const TESTDATA = new URL("../../testdata/news/", import.meta.url);
const FEEDS = ["crypto_wire_rss.xml", "chain_ledger_atom.xml", "market_desk_latin1_rss.xml"];
const T0 = Date.UTC(2024, 7, 9, 0, 10);

async function setup() {
  const store = await SqliteStore.open(":memory:");
  const repo = new SqliteNewsRepository(store.db);
  const clock = { t: T0 };
  const slept: number[] = [];
  const deps = (more: Partial<CycleDeps> = {}): CycleDeps => ({
    repo,
    sources: [],
    tagger: symbolTagger({ BTC: ["bitcoin", "btc"], ETH: ["ethereum", "eth", "ether"] }),
    concurrency: 2,
    titleWindowMs: 7 * 86_400_000,
    now: () => clock.t,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    ...more,
  });
  return { store, repo, clock, slept, deps };
}

/** Serves the bundled feeds with ETags, as a publisher's server would. */
function feedServer() {
  return serveLoopback(async (req) => {
    const name = new URL(req.url).pathname.slice(1);
    if (!FEEDS.includes(name)) return new Response("not found", { status: 404 });
    const etag = `"${name}-1"`;
    if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304 });
    return new Response(await Deno.readFile(new URL(name, TESTDATA)), {
      headers: { "content-type": "application/xml", etag },
    });
  });
}

function llm(host: string, model = "qwen3", timeoutMs = 2000): OllamaSentiment {
  return new OllamaSentiment({ host, model, timeoutMs, retries: 1, retryDelayMs: () => 0 });
}

function scripted(id: string, reads: (() => SourceRead)[]): NewsSource & { calls: number } {
  const s = {
    id,
    kind: "rss" as const,
    location: id,
    minIntervalMs: 0,
    calls: 0,
    read() {
      const r = reads[Math.min(s.calls++, reads.length - 1)]!;
      return Promise.resolve().then(r);
    },
  };
  return s;
}

Deno.test("runNewsCycle() stores, dedupes, tags, scores with the model and aggregates", async () => {
  const { store, repo, deps } = await setup();
  const feeds = await feedServer();
  const ollama = await startFakeOllama({
    reply: (chat) => {
      const text = chat.messages[1]!.content.toLowerCase();
      const score = /liquidation|exploit|outflow|delay/.test(text) ? -0.6 : 0.3;
      return JSON.stringify({ score, confidence: 0.8, rationale: "fake judgement" });
    },
  });
  try {
    const sources = FEEDS.map((f) =>
      rssSource(`${feeds.url}/${f}`, { timeoutMs: 2000, maxBytes: 1e6, now: Date.now })
    );
    const s = await runNewsCycle(deps({ sources, llm: llm(ollama.url) }));
    assert.deepEqual(s.sources.map((o) => [o.status, o.items, o.inserted, o.duplicates]), [
      ["ok", 10, 10, 0],
      ["ok", 6, 5, 1], // "Ether rebounds 6% after ETF inflows return" again
      ["ok", 4, 3, 1], // the same story with " - Market Desk" appended
    ]);
    assert.equal(s.inserted, 18);
    assert.equal(s.pending, 0);
    assert.deepEqual(s.scoring?.byScorer, { "ollama:qwen3": 18 });
    assert.equal(s.scoring?.llm, "up");
    assert.equal(ollama.chats.length, 18);
    assert.ok(ollama.maxInFlight() <= 2, "bounded concurrency");
    const titles = (await repo.recent({ limit: 50 })).map((a) => a.title);
    assert.ok(
      titles.includes("<b>SEC</b> delays decision on spot ether ETF options"),
      "stored as received",
    );
    const squeeze = (await repo.recent({ limit: 50 })).find((a) =>
      a.title.includes("short squeeze")
    )!;
    assert.deepEqual(squeeze.symbols, ["BTC"]);
    assert.equal(squeeze.url, "https://news.example.com/markets/2024/08/08/bitcoin-short-squeeze");
    assert.equal((await repo.recent({ limit: 50, symbol: "ETH" })).length, 7); // counted by hand
    assert.ok(s.hourlyRows > 0);
    const counts = store.db.prepare(
      "SELECT (SELECT COUNT(*) FROM news_sentiment_cache) AS cache, (SELECT COUNT(*) FROM news_sources) AS sources",
    ).get() as { cache: number; sources: number };
    assert.deepEqual({ ...counts }, { cache: 18, sources: 3 });

    const again = await runNewsCycle(deps({ sources, llm: llm(ollama.url) }));
    assert.deepEqual(again.sources.map((o) => o.status), [
      "not_modified",
      "not_modified",
      "not_modified",
    ]);
    assert.equal(again.inserted, 0);
    assert.equal(again.scoring?.scored, 0);
    assert.equal(ollama.chats.length, 18, "nothing scored twice");
  } finally {
    await Promise.all([feeds.close(), ollama.close(), store.close()]);
  }
});

Deno.test("runNewsCycle() keeps collecting with the lexicon when Ollama is down or the model missing", async () => {
  const feed = new URL("crypto_wire_rss.xml", TESTDATA).pathname;
  for (
    const [host, model, note] of [
      [`http://127.0.0.1:${closedPort()}`, "qwen3", /not reachable.*`ollama serve`/],
      ["(fake)", "gemma3:4b", /model "gemma3:4b" is not on .*; run `ollama pull gemma3:4b`/],
    ] as const
  ) {
    const { repo, store, deps } = await setup();
    const fake = await startFakeOllama({ models: ["qwen3:latest"] });
    try {
      const sources = [rssSource(feed, { timeoutMs: 1000, maxBytes: 1e6, now: Date.now })];
      const s = await runNewsCycle(
        deps({ sources, llm: llm(host === "(fake)" ? fake.url : host, model) }),
      );
      assert.equal(s.inserted, 10);
      assert.deepEqual(s.scoring?.byScorer, { "lexicon:v1": 10 });
      assert.equal(s.scoring?.llm, "down");
      assert.match(s.scoring?.llmNote ?? "", note);
      assert.equal(fake.chats.length, 0);
      const a = (await repo.recent({ limit: 1 }))[0]!;
      assert.equal(a.sentiment?.scorer, "lexicon:v1");
      assert.match(a.scoreNote ?? "", note);
    } finally {
      await Promise.all([fake.close(), store.close()]);
    }
  }
});

Deno.test("runNewsCycle() falls back per article on bad replies and stops asking after 3 in a row", async () => {
  const { repo, store, deps } = await setup();
  const fake = await startFakeOllama({ reply: () => "I think this is bullish!" });
  try {
    const sources = [
      rssSource(new URL("crypto_wire_rss.xml", TESTDATA).pathname, {
        timeoutMs: 1000,
        maxBytes: 1e6,
        now: Date.now,
      }),
    ];
    const s = await runNewsCycle(deps({ sources, llm: llm(fake.url), concurrency: 1 }));
    assert.deepEqual(s.scoring?.byScorer, { "lexicon:v1": 10 });
    assert.equal(s.scoring?.fallbacks, 10);
    assert.match(s.scoring?.llmNote ?? "", /3 model failures in a row/);
    assert.equal(fake.chats.length, 6, "3 articles x (1 + 1 retry), then no more requests");
    const notes = (await repo.recent({ limit: 20 })).map((a) => a.scoreNote);
    assert.ok(notes.every((n) => n && /reply is not JSON|model failures/.test(n)));
  } finally {
    await Promise.all([fake.close(), store.close()]);
  }
});

Deno.test("runNewsCycle() answers identical text from the cache instead of asking again", async () => {
  const { repo, store, clock, deps } = await setup();
  const fake = await startFakeOllama();
  const item = (link: string, publishedAt: number) => ({
    items: [{ link, title: "Bitcoin ETF sees record inflows", publisher: "P", publishedAt }],
    notModified: false,
    warnings: [],
  });
  try {
    const src = scripted("s", [
      () => item("https://a.example/1", T0),
      () => item("https://a.example/2", T0 + 30 * 86_400_000), // a month later: outside the title window
    ]);
    await runNewsCycle(deps({ sources: [src], llm: llm(fake.url) }));
    clock.t += 30 * 86_400_000;
    const s = await runNewsCycle(deps({ sources: [src], llm: llm(fake.url) }));
    assert.equal(s.inserted, 1);
    assert.equal(s.scoring?.cached, 1);
    assert.equal(fake.chats.length, 1);
    assert.deepEqual(
      (await repo.recent({ limit: 2 })).map((a) => [a.sentiment?.scorer, a.scoreNote]),
      [
        ["ollama:qwen3", "cached"],
        ["ollama:qwen3", null],
      ],
    );
  } finally {
    await Promise.all([fake.close(), store.close()]);
  }
});

Deno.test("runNewsCycle() keeps a health record: retries, backoff, Retry-After, recovery", async () => {
  const { repo, store, clock, slept, deps } = await setup();
  const ok = (): SourceRead => ({ items: [], notModified: false, warnings: ["w"] });
  const down = () => {
    throw new NewsSourceError("s", "HTTP 502", { retriable: true, status: 502 });
  };
  const limited = () => {
    throw new NewsSourceError("s", "HTTP 429", {
      retriable: true,
      status: 429,
      retryAfterMs: 600_000,
    });
  };
  try {
    const src = scripted("s", [down, ok, down, down, down, limited, ok]);
    const d = deps({ sources: [src], skipScoring: true });
    let s = await runNewsCycle(d);
    assert.equal(s.sources[0]!.status, "ok", "one retry within the cycle");
    assert.deepEqual(slept, [1000]);
    s = await runNewsCycle(d);
    assert.equal(s.sources[0]!.status, "error");
    assert.equal(src.calls, 5);
    let h = (await repo.health("s"))!;
    assert.equal(h.consecutiveFailures, 1);
    assert.equal(h.nextAllowedAt, T0 + 60_000);
    assert.equal((await runNewsCycle(d)).sources[0]!.status, "waiting");
    assert.equal(src.calls, 5);
    clock.t += 60_000;
    s = await runNewsCycle(d);
    assert.equal(s.sources[0]!.status, "rate_limited");
    h = (await repo.health("s"))!;
    assert.equal(h.consecutiveFailures, 2);
    assert.equal(h.nextAllowedAt, clock.t + 600_000, "Retry-After beats the 2-minute backoff");
    assert.equal(src.calls, 6, "a 429 is not retried within the cycle");
    clock.t += 600_000;
    s = await runNewsCycle(d);
    assert.equal(s.sources[0]!.status, "ok");
    h = (await repo.health("s"))!;
    assert.deepEqual(
      [h.consecutiveFailures, h.attempts, h.failures, h.lastStatus, h.lastWarning, h.lastError],
      [0, 4, 2, "ok", "w", "HTTP 429"],
    );
  } finally {
    await store.close();
  }
});

Deno.test("runNewsCycle() leaves fetched articles pending when scoring does not happen, and scores them next run", async () => {
  const { repo, store, deps } = await setup();
  try {
    const sources = [
      rssSource(new URL("chain_ledger_atom.xml", TESTDATA).pathname, {
        timeoutMs: 1000,
        maxBytes: 1e6,
        now: Date.now,
      }),
    ];
    const first = await runNewsCycle(deps({ sources, skipScoring: true }));
    assert.equal(first.inserted, 6);
    assert.equal(first.pending, 6);
    assert.equal((await repo.hourly({ limit: 10 })).length, 0);
    const second = await runNewsCycle(deps({ sources }));
    assert.equal(second.inserted, 0);
    assert.equal(second.scoring?.scored, 6);
    assert.equal(second.pending, 0);
    assert.ok((await repo.hourly({ limit: 10 })).length > 0);
  } finally {
    await store.close();
  }
});

Deno.test("runNewsCycle() clamps future dates and dates missing ones at fetch time", async () => {
  const { repo, store, deps } = await setup();
  try {
    const src = scripted("s", [() => ({
      items: [
        {
          link: "https://a.example/future",
          title: "From the future",
          publisher: "P",
          publishedAt: T0 + 86_400_000,
        },
        { link: "https://a.example/undated", title: "Undated", publisher: "P" },
        { link: "not-a-url", title: "Bad link", publisher: "P" },
      ],
      notModified: false,
      warnings: [],
    })]);
    const s = await runNewsCycle(deps({ sources: [src], skipScoring: true }));
    assert.equal(s.sources[0]!.invalid, 1);
    assert.deepEqual((await repo.recent({ limit: 5 })).map((a) => a.publishedAt), [T0, T0]);
  } finally {
    await store.close();
  }
});
