/** Converts a file: URL to a path (node:url's fileURLToPath, kept local for the compile target). */
export function fromFileUrl(url: URL): string {
  if (url.protocol !== "file:") {
    throw new TypeError(`Cannot convert URL to path: not a file URL: ${url}`);
  }
  return decodeURIComponent(url.pathname);
}
