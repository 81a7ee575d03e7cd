import { parseFlags } from "../../infra/cli/flags.ts";
import { gzipSync } from "node:zlib";
import { recordingLine } from "../recording/binance_frames.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { VenueId } from "../../core/market/instrument.ts";
import type { MarketStore } from "../../core/storage.ts";
import { openStore } from "../../infra/store/open_store.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { exportEvents, streamInstruments } from "./export_events.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";

const USAGE =
  "usage: deno run -A edge/main.ts export-recording [--store PATH | --config PATH] --venue binance|binance_us --symbol SYM --out FILE[.gz]\n" +
  "       deno run -A edge/main.ts export-recording [--store PATH | --config PATH] --format events [--streams V:SYM,...] [--max-seconds S] --out FILE[.gz]\n" +
  "  (--format events: every listed stream, any venue, as one tickerml-events/1 recording; default streams: trading.streams)\n" +
  "  (without --store the configured backend is read: storage.backend sqlite or postgres with DATABASE_URL)";

/**
 * `export-recording`: writes the stored events of one Binance / Binance.US book as a recording
 * in the bundled format (`<receive ns> <raw JSON frame>` per line, gzip when the name ends in
 * `.gz`), so anything harvested (live or from the simulator) can be replayed or trained on with
 * the same readers as the bundled data.
 *
 * @returns Exit code (0 ok, 1 no events, 2 bad usage).
 */
export async function exportRecordingCommand(args: string[], out: Output): Promise<number> {
  const { values } = parseFlags(args, {
    usage: USAGE,
    options: {
      store: { type: "string" },
      config: { type: "string", default: "config.yaml" },
      venue: { type: "string", default: "binance_us" },
      symbol: { type: "string", default: "BTC/USDT" },
      out: { type: "string" },
      format: { type: "string", default: "binance" },
      streams: { type: "string" },
      "max-seconds": { type: "string" },
    },
  });
  if (!values.out) throw new UsageError(`--out is required\n${USAGE}`);
  if (values.format === "events") return await exportEventsCommand(values, values.out, out);
  if (values.format !== "binance") {
    throw new UsageError(`--format must be binance or events\n${USAGE}`);
  }
  if (values.venue !== "binance" && values.venue !== "binance_us") {
    throw new UsageError(
      `--venue must be binance or binance_us (the recording format is Binance's)\n${USAGE}`,
    );
  }
  let store: MarketStore;
  if (values.store) store = await SqliteStore.open(values.store, { migrate: false });
  else {
    const { config, secrets } = await loadConfig(values.config);
    store = await openStore(config, secrets, { migrate: false });
  }
  // The scale the store's integers were written with: its own instrument record first.
  const inst =
    (await store.instruments()).find((i) =>
      i.venue === values.venue && i.symbol === values.symbol
    ) ?? defaultInstrument(values.venue as VenueId, values.symbol);
  if (!inst) {
    await store.close();
    throw new UsageError(`no instrument for ${values.symbol} on ${values.venue} in the store`);
  }
  const lines: string[] = [];
  try {
    for await (const e of store.readEvents({ venue: inst.venue, symbol: inst.symbol })) {
      lines.push(recordingLine(e, inst));
    }
  } finally {
    await store.close();
  }
  const text = lines.join("\n") + "\n";
  const bytes = new TextEncoder().encode(text);
  await Deno.writeFile(values.out, values.out.endsWith(".gz") ? gzipSync(bytes) : bytes);
  out.stdout(`${values.out}: ${lines.length} frames of ${inst.venue} ${inst.symbol}`);
  return lines.length > 0 ? 0 : 1;
}

async function exportEventsCommand(
  values: { store?: string; config: string; streams?: string; "max-seconds"?: string },
  file: string,
  out: Output,
): Promise<number> {
  const max = values["max-seconds"] === undefined ? undefined : Number(values["max-seconds"]);
  if (max !== undefined && !(max > 0)) throw new UsageError(`--max-seconds must be > 0\n${USAGE}`);
  const loaded = values.store && values.streams ? undefined : await loadConfig(values.config);
  const streams = values.streams?.split(",") ??
    loaded!.config.trading.streams.map((s) => `${s.venue}:${s.symbol}`);
  streamInstruments(streams); // bad names fail before the store is opened
  const store = values.store
    ? await SqliteStore.open(values.store, { migrate: false })
    : await openStore(loaded!.config, loaded!.secrets, { migrate: false });
  let counts;
  try {
    counts = await exportEvents(store, { streams, out: file, ...(max ? { maxSeconds: max } : {}) });
  } finally {
    await store.close();
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  out.stdout(
    `${file}: ${total} events (${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ")})`,
  );
  return Object.values(counts).every((n) => n > 0) ? 0 : 1;
}
