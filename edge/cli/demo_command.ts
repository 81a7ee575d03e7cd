import { fromFileUrl } from "./paths.ts";
import { formatSummary, runReplay } from "./replay_command.ts";
import type { Output } from "./output.ts";

/** The bundled recording (11 minutes of Binance BTCUSDT, see testdata/SOURCES.md). */
export const BUNDLED_RECORDING: readonly string[] = [
  fromFileUrl(new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url)),
  fromFileUrl(new URL("../../testdata/binance-spot/btcusdt_20240809.gz", import.meta.url)),
];

/**
 * `demo`: replays the bundled BTCUSDT recording through the sync and order book into
 * `data/db/demo.db` and prints a readable summary. (The full demo of the whole
 * pipeline builds on this as the other components land.)
 *
 * @returns Exit code.
 */
export async function demoCommand(args: string[], out: Output): Promise<number> {
  const store = args.includes("--no-store") ? undefined : "data/db/demo.db";
  if (store) await Deno.remove(store).catch(() => {});
  out.stderr("TickerML demo: replaying 11 minutes of recorded Binance BTCUSDT order-book data");
  const summary = await runReplay([...BUNDLED_RECORDING], {
    venue: "binance",
    symbol: "BTC/USDT",
    snapshotIntervalMs: 10_000,
    ...(store ? { store } : {}),
    out,
    progress: true,
  });
  out.stdout(formatSummary(summary, store));
  return summary.gaps === 0 && summary.crossed === 0 ? 0 : 1;
}
