import assert from "node:assert/strict";
import { NewsSourceError } from "./news_errors.ts";
import { newsApiSource } from "./news_sources.ts";
import { fetchNewsApi } from "./newsapi.ts";
import { newHealth } from "../../core/news/source_health.ts";
import { serveLoopback } from "./testing/loopback_server.ts";

const NOW = Date.UTC(2024, 7, 9, 0, 10);
const KEY = "test-key-123";

const ARTICLES = [
  {
    source: { id: "coindesk", name: "CoinDesk" },
    author: "A. Writer",
    title: "Bitcoin Slips as Long Liquidations Mount - CoinDesk",
    description: "Leveraged longs were <b>flushed</b>.",
    url: "https://www.coindesk.com/markets/2024/08/08/btc-slips/?utm_source=newsapi",
    urlToImage: null,
    publishedAt: "2024-08-08T23:40:00Z",
    content: "Bitcoin fell… [+2150 chars]",
  },
  {
    source: { id: null, name: "[Removed]" },
    author: null,
    title: "[Removed]",
    description: "[Removed]",
    url: "https://removed.com",
    urlToImage: null,
    publishedAt: "1970-01-01T00:00:00Z",
    content: "[Removed]",
  },
  {
    source: { id: null, name: "Blog" },
    title: "Ether ETF flows",
    url: "ftp://blog.example/x",
    publishedAt: "2024-08-08T22:00:00Z",
  },
  {
    source: null,
    title: "Undated ETH story",
    url: "https://x.example/eth",
    publishedAt: "yesterday",
  },
  { title: 42, url: "https://x.example/bad" },
];

function newsApiServer(mode: { status?: number; body?: unknown; retryAfter?: string } = {}) {
  return serveLoopback((req) => {
    const url = new URL(req.url);
    if (url.pathname !== "/v2/everything") return new Response("no", { status: 404 });
    if (req.headers.get("x-api-key") !== KEY) {
      return Response.json({
        status: "error",
        code: "apiKeyInvalid",
        message: "Your API key is invalid or incorrect.",
      }, { status: 401 });
    }
    if (mode.status) {
      return Response.json(mode.body, {
        status: mode.status,
        headers: mode.retryAfter ? { "retry-after": mode.retryAfter } : {},
      });
    }
    return Response.json(mode.body ?? { status: "ok", totalResults: 4, articles: ARTICLES });
  });
}

const opts = (baseUrl: string, apiKey = KEY) => ({
  baseUrl,
  apiKey,
  query: "bitcoin OR ethereum",
  timeoutMs: 2000,
  maxBytes: 1_000_000,
  now: () => NOW,
});

Deno.test("fetchNewsApi() sends the key as a header and keeps only usable articles", async () => {
  const server = await newsApiServer();
  try {
    const page = await fetchNewsApi({ ...opts(server.url), from: NOW - 3_600_000 });
    const req = server.requests[0]!;
    assert.ok(!req.path.includes(KEY), "the key is never in the URL");
    const q = new URL(req.path, server.url).searchParams;
    assert.equal(q.get("q"), "bitcoin OR ethereum");
    assert.equal(q.get("sortBy"), "publishedAt");
    assert.equal(q.get("from"), "2024-08-08T23:10:00");
    assert.equal(page.totalResults, 4);
    assert.deepEqual(page.items, [
      {
        link: ARTICLES[0]!.url,
        title: "Bitcoin Slips as Long Liquidations Mount - CoinDesk",
        publisher: "CoinDesk",
        description: "Leveraged longs were <b>flushed</b>.",
        publishedAt: Date.UTC(2024, 7, 8, 23, 40),
      },
      { link: "https://x.example/eth", title: "Undated ETH story", publisher: "NewsAPI" },
    ]);
    assert.equal(page.skipped, 3);
    assert.deepEqual(page.warnings, [
      "1 article(s) skipped: removed or no headline",
      "1 article(s) skipped: no http(s) link",
      "1 article(s) skipped: bad shape",
    ]);
  } finally {
    await server.close();
  }
});

Deno.test("fetchNewsApi() turns NewsAPI error bodies into clear errors", async (t) => {
  await t.step("invalid key: 401 with the API's code, not retriable", async () => {
    const server = await newsApiServer();
    try {
      await assert.rejects(() => fetchNewsApi(opts(server.url, "wrong")), (e: unknown) => {
        assert.ok(e instanceof NewsSourceError);
        assert.equal(
          e.message,
          "newsapi: HTTP 401 apiKeyInvalid: Your API key is invalid or incorrect.",
        );
        assert.equal(e.retriable, false);
        assert.ok(!e.message.includes("wrong"));
        return true;
      });
    } finally {
      await server.close();
    }
  });
  await t.step("rate limited: 429 with Retry-After", async () => {
    const server = await newsApiServer({
      status: 429,
      retryAfter: "3600",
      body: { status: "error", code: "rateLimited", message: "You have made too many requests." },
    });
    try {
      await assert.rejects(() => fetchNewsApi(opts(server.url)), (e: unknown) => {
        assert.ok(e instanceof NewsSourceError);
        assert.equal(e.status, 429);
        assert.equal(e.retryAfterMs, 3_600_000);
        assert.match(e.message, /rateLimited/);
        return true;
      });
    } finally {
      await server.close();
    }
  });
  await t.step("200 with an error body, a wrong shape, or no JSON", async () => {
    for (
      const [body, re] of [
        [
          { status: "error", code: "parameterInvalid", message: "bad q" },
          /parameterInvalid: bad q/,
        ],
        [{ status: "ok", articles: [] }, /unexpected response shape: totalResults/],
      ] as const
    ) {
      const server = await newsApiServer({ body });
      try {
        await assert.rejects(() => fetchNewsApi(opts(server.url)), re);
      } finally {
        await server.close();
      }
    }
    const html = await serveLoopback(() => new Response("<html>maintenance</html>"));
    try {
      await assert.rejects(() => fetchNewsApi(opts(html.url)), /response is not JSON/);
    } finally {
      await html.close();
    }
  });
});

Deno.test("newsApiSource() asks for the last day first, then from the newest article minus an hour", async () => {
  const server = await newsApiServer();
  try {
    const source = newsApiSource({ ...opts(server.url), minIntervalMs: 900_000 });
    assert.ok(!source.location.includes(KEY));
    const first = await source.read(newHealth("newsapi", "newsapi", source.location));
    assert.equal(first.cursorAt, Date.UTC(2024, 7, 8, 23, 40));
    await source.read({ ...newHealth("newsapi", "newsapi", ""), cursorAt: first.cursorAt ?? null });
    const froms = server.requests.map((r) => new URL(r.path, server.url).searchParams.get("from"));
    assert.deepEqual(froms, ["2024-08-08T00:10:00", "2024-08-08T22:40:00"]);
  } finally {
    await server.close();
  }
});
