/**
 * Paths of the data bundled with the project: the demo recording and the demo model. Shared by
 * the edge's commands, the store's contract tests and benches (infra/ imports only core/).
 *
 * @module
 */

function fromFileUrl(url: URL): string {
  if (url.protocol !== "file:") {
    throw new TypeError(`Cannot convert URL to path: not a file URL: ${url}`);
  }
  return decodeURIComponent(url.pathname);
}

/** The bundled recording (11 minutes of Binance BTCUSDT, see testdata/SOURCES.md). */
export const BUNDLED_RECORDING: readonly string[] = [
  fromFileUrl(new URL("../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url)),
  fromFileUrl(new URL("../testdata/binance-spot/btcusdt_20240809.gz", import.meta.url)),
];

/** The bundled model package (models/demo/README.md says how it was trained). */
export const BUNDLED_MODEL: string = fromFileUrl(
  new URL("../models/demo/20261207T234600242Z-03585c", import.meta.url),
);
