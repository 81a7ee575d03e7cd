/** Full replay of both BTCUSDT files: gunzip + JSON parse + sync + apply (target < 1 s). */
import { replayBinanceRecording } from "./binance_replay.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";

Deno.bench(
  "full replay of the 11-minute BTCUSDT recording (2 files)",
  { n: 10, warmup: 2 },
  async () => {
    const s = await replayBinanceRecording(BUNDLED_RECORDING);
    if (s.applied !== 6_493) throw new Error(`unexpected replay: ${s.applied}`);
  },
);
