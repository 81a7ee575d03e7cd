/**
 * File URLs to paths, shared by every runtime (module-relative data such as the bundled
 * recording, news feeds, the simulator's files). node:url's fileURLToPath, kept local for the
 * compile target.
 *
 * @module
 */

/**
 * Converts a file: URL to a path.
 *
 * @throws {TypeError} When the URL is not a file: URL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromFileUrl } from "./file_url.ts";
 * assert.equal(fromFileUrl(new URL("file:///data/a%20b.gz")), "/data/a b.gz");
 * ```
 */
export function fromFileUrl(url: URL): string {
  if (url.protocol !== "file:") {
    throw new TypeError(`Cannot convert URL to path: not a file URL: ${url}`);
  }
  return decodeURIComponent(url.pathname);
}
