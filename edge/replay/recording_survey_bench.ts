import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { surveyBinanceFiles } from "./recording_survey.ts";

Deno.bench(
  "surveyBinanceFiles() on the bundled 11-minute BTCUSDT recording (first pass)",
  async () => {
    const e = await surveyBinanceFiles(BUNDLED_RECORDING, "binance");
    if (e.snapshotOwner.size !== 1) throw new Error("the snapshot was not attributed");
  },
);
