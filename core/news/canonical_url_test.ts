import assert from "node:assert/strict";
import { canonicalUrl } from "./canonical_url.ts";

Deno.test("canonicalUrl() removes tracking, fragments, www, default ports and trailing slashes", () => {
  assert.equal(
    canonicalUrl(
      "HTTPS://www.CoinDesk.com:443/markets/2024/08/08/btc/?utm_source=rss&utm_medium=x&fbclid=1#a",
    ),
    "https://coindesk.com/markets/2024/08/08/btc",
  );
  assert.equal(
    canonicalUrl("https://example.com/?b=2&a=1&a=0"),
    "https://example.com/?a=0&a=1&b=2",
  );
  assert.equal(canonicalUrl("https://example.com/story/amp/"), "https://example.com/story");
  assert.equal(canonicalUrl("http://example.com//a//b"), "http://example.com/a/b");
});

Deno.test("canonicalUrl() keeps meaningful parameters and rejects non-http links", () => {
  assert.equal(canonicalUrl("https://x.io/read?id=42"), "https://x.io/read?id=42");
  assert.equal(canonicalUrl("javascript:alert(1)"), undefined);
  assert.equal(canonicalUrl("/relative/path"), undefined);
  assert.equal(canonicalUrl("ftp://x.io/a"), undefined);
  assert.equal(canonicalUrl("not a url"), undefined);
});
