import assert from "node:assert/strict";
import { NewsSourceError } from "./news_errors.ts";
import { rssSource, type SourceLimits } from "./news_sources.ts";
import { newHealth, type SourceHealth } from "../../core/news/source_health.ts";
import { closedPort, delay, serveLoopback } from "./testing/loopback_server.ts";

const TESTDATA = new URL("../../testdata/news/", import.meta.url);
const limits: SourceLimits = {
  timeoutMs: 2000,
  maxBytes: 200_000,
  now: () => Date.UTC(2024, 7, 9),
};
const fresh = (id: string): SourceHealth => newHealth(id, "rss", id);
const rss = (title: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>
  <item><title>${title}</title><link>/a/1</link></item></channel></rss>`;

async function rejection(p: Promise<unknown>): Promise<NewsSourceError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof NewsSourceError, String(e));
    assert.equal(e.name, "NewsSourceError");
    return e;
  }
  assert.fail("expected a NewsSourceError");
}

Deno.test("rssSource() reads a feed over HTTP, resolves links, and uses conditional GET", async () => {
  const body = await Deno.readFile(new URL("crypto_wire_rss.xml", TESTDATA));
  const server = await serveLoopback((req) => {
    if (req.headers.get("if-none-match") === '"v1"') return new Response(null, { status: 304 });
    return new Response(body, {
      headers: { "content-type": "application/rss+xml; charset=utf-8", etag: '"v1"' },
    });
  });
  try {
    const source = rssSource(`${server.url}/feed/`, limits);
    assert.equal(source.id, `rss:${server.url}/feed/`);
    const first = await source.read(fresh(source.id));
    assert.equal(first.items.length, 10);
    assert.equal(first.etag, '"v1"');
    assert.equal(first.notModified, false);
    const again = await source.read({ ...fresh(source.id), etag: '"v1"' });
    assert.deepEqual(again, { items: [], notModified: true, warnings: [] });
    assert.match(server.requests[0]!.headers.get("user-agent")!, /^TickerML-news/);
    const rel = await serveLoopback(() => new Response(rss("x")));
    try {
      const r = await rssSource(`${rel.url}/sub/feed.xml`, limits).read(fresh("r"));
      assert.equal(r.items[0]!.link, `${rel.url}/a/1`);
    } finally {
      await rel.close();
    }
  } finally {
    await server.close();
  }
});

Deno.test("rssSource() reads feeds from paths and file:// URLs, including ISO-8859-1 files", async () => {
  const path = new URL("market_desk_latin1_rss.xml", TESTDATA).pathname;
  const byPath = await rssSource(path, limits).read(fresh("p"));
  const byUrl = await rssSource(`file://${path}`, limits).read(fresh("u"));
  assert.deepEqual(byPath.items, byUrl.items);
  assert.equal(byPath.items[0]!.title, "Café chain in Lugano now accepts bitcoin for £5 coffees");
  const relative = rssSource("market_desk_latin1_rss.xml", limits, TESTDATA.pathname);
  assert.equal((await relative.read(fresh("r"))).items.length, 4);
  const missing = await rejection(rssSource("/nonexistent/feed.xml", limits).read(fresh("m")));
  assert.match(missing.message, /cannot read \/nonexistent\/feed\.xml/);
  assert.throws(() => rssSource("ftp://x.example/feed", limits), TypeError);
});

Deno.test("rssSource() repairs wrong encodings served over HTTP and says so", async () => {
  const latin1 = await Deno.readFile(new URL("market_desk_latin1_rss.xml", TESTDATA));
  const server = await serveLoopback(() =>
    new Response(latin1, { headers: { "content-type": "text/xml; charset=utf-8" } })
  );
  try {
    const r = await rssSource(server.url, limits).read(fresh("e"));
    assert.equal(r.items[2]!.title, "Regulators in Zürich fine crypto broker over AML failures");
    assert.deepEqual(r.warnings, ["declared utf-8 but not valid UTF-8; read as windows-1252"]);
  } finally {
    await server.close();
  }
});

Deno.test("rssSource() refuses huge bodies, with or without Content-Length", async () => {
  const chunk = new TextEncoder().encode(`<item><title>${"x".repeat(1000)}</title></item>`);
  let sent = 0;
  const server = await serveLoopback((req, signal) => {
    if (new URL(req.url).pathname === "/declared") {
      return new Response("x".repeat(300_000), { headers: { "content-type": "text/xml" } });
    }
    const stream = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (signal.aborted || sent > 50_000_000) return c.close();
        sent += chunk.byteLength;
        c.enqueue(chunk);
        await delay(0, signal);
      },
    });
    return new Response(stream, { headers: { "content-type": "text/xml" } });
  });
  try {
    const declared = await rejection(rssSource(`${server.url}/declared`, limits).read(fresh("d")));
    assert.match(declared.message, /body of 300000 bytes is over the 200000-byte limit/);
    const endless = await rejection(rssSource(`${server.url}/endless`, limits).read(fresh("s")));
    assert.match(endless.message, /body is over the 200000-byte limit/);
    assert.equal(endless.retriable, false);
    assert.ok(sent < 50_000_000, "stopped reading early");
  } finally {
    await server.close();
  }
});

Deno.test("rssSource() reports HTTP errors with Retry-After, timeouts, refusals and non-feeds", async () => {
  const server = await serveLoopback(async (req, signal) => {
    const path = new URL(req.url).pathname;
    if (path === "/busy") {
      return new Response("try later", { status: 503, headers: { "retry-after": "120" } });
    }
    if (path === "/gone") return new Response("not here", { status: 404 });
    if (path === "/slow") await delay(5_000, signal);
    return new Response("<html><body>Just a web page</body></html>", {
      headers: { "content-type": "text/html" },
    });
  });
  try {
    const busy = await rejection(rssSource(`${server.url}/busy`, limits).read(fresh("b")));
    assert.equal(busy.status, 503);
    assert.equal(busy.retryAfterMs, 120_000);
    assert.equal(busy.retriable, true);
    assert.match(busy.message, /HTTP 503: try later/);
    const gone = await rejection(rssSource(`${server.url}/gone`, limits).read(fresh("g")));
    assert.equal(gone.retriable, false);
    const slow = await rejection(
      rssSource(`${server.url}/slow`, { ...limits, timeoutMs: 100 }).read(fresh("s")),
    );
    assert.match(slow.message, /timed out after 100 ms/);
    assert.equal(slow.retriable, true);
    const page = await rejection(rssSource(`${server.url}/page`, limits).read(fresh("p")));
    assert.match(page.message, /not an RSS or Atom feed/);
  } finally {
    await server.close();
  }
  const refused = await rejection(
    rssSource(`http://127.0.0.1:${closedPort()}/feed`, limits).read(fresh("x")),
  );
  assert.match(refused.message, /request failed/);
  assert.equal(refused.retriable, true);
});
