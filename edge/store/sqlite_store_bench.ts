/** Store write throughput: rows per second in batched transactions (deltas + trades of the recording). */
import type { MarketEvent } from "../../core/market/events.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";

const events: MarketEvent[] = [];
await replayBinanceRecording(BUNDLED_RECORDING, { sink: { onEvent: (e) => void events.push(e) } });
console.log(`${events.length} rows per iteration (deltas, trades, 1 snapshot)`);
const dir = await Deno.makeTempDir({ prefix: "tickerml-bench-" });
let n = 0;

for (const batch of [100, 2_000]) {
  Deno.bench(`SQLite write, batch ${batch} rows per transaction`, {
    group: "store",
    n: 5,
    warmup: 1,
  }, async (b) => {
    const store = await SqliteStore.open(`${dir}/b${n++}.db`);
    b.start();
    for (let i = 0; i < events.length; i += batch) {
      await store.writeBatch({ events: events.slice(i, i + batch) });
    }
    b.end();
    await store.close();
  });
}
