/** Query parameters that only track the reader and never change the article. */
const TRACKING =
  /^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|cmpid|ocid|ref|ref_src|source|src|__twitter_impression|guccounter|igshid|yclid|_hsenc|_hsmi|mkt_tok)$/i;

/**
 * The canonical form of an article URL, used as its identity: https/http only,
 * lower-case host without `www.`, no default port, no fragment, no tracking
 * parameters (utm_*, fbclid, ...), remaining parameters sorted, no trailing slash
 * or `/amp` suffix on the path.
 *
 * @param raw The link as received.
 * @returns The canonical URL, or `undefined` when `raw` is not an absolute http(s) URL.
 *
 * @example Two links to one article
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalUrl } from "./canonical_url.ts";
 * assert.equal(
 *   canonicalUrl("https://WWW.Example.com/news/btc/?utm_source=rss&b=2&a=1#top"),
 *   canonicalUrl("https://example.com/news/btc?a=1&b=2"),
 * );
 * ```
 */
export function canonicalUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (!url.hostname) return undefined;
  url.hostname = url.hostname.toLowerCase().replace(/^www\./, "").replace(/\.$/, "");
  url.hash = "";
  url.username = "";
  url.password = "";
  const params = [...url.searchParams].filter(([k]) => !TRACKING.test(k));
  params.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  url.search = new URLSearchParams(params).toString();
  let path = url.pathname.replace(/\/{2,}/g, "/").replace(/\/amp\/?$/i, "");
  if (path.length > 1) path = path.replace(/\/+$/, "");
  url.pathname = path || "/";
  return url.toString();
}
