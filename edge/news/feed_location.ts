import { fromFileUrl } from "../../infra/file_url.ts";

/** Where a feed is read from. */
export type FeedLocation =
  | { readonly kind: "http"; readonly url: string; readonly sourceId: string }
  | { readonly kind: "file"; readonly path: string; readonly sourceId: string };

/**
 * Interprets a configured feed: an http(s):// URL, a file:// URL, or a file path
 * (relative paths resolve against `baseDir`, default the working directory).
 * The source id is `rss:` followed by the entry as configured.
 *
 * @throws {TypeError} For other URL schemes.
 */
export function parseFeedLocation(entry: string, baseDir?: string): FeedLocation {
  const sourceId = `rss:${entry}`;
  if (/^https?:\/\//i.test(entry)) return { kind: "http", url: new URL(entry).href, sourceId };
  if (/^file:\/\//i.test(entry)) {
    return { kind: "file", path: fromFileUrl(new URL(entry)), sourceId };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
    throw new TypeError(`Cannot read feed "${entry}": only http(s)://, file:// or a path`);
  }
  const path = entry.startsWith("/") || !baseDir ? entry : `${baseDir.replace(/\/$/, "")}/${entry}`;
  return { kind: "file", path, sourceId };
}
