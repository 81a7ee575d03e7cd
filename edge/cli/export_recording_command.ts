import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import type { LevelUpdate, MarketEvent } from "../../core/market/events.ts";
import { formatPrice, formatSize, type Instrument } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { VenueId } from "../../core/market/instrument.ts";
import type { MarketStore } from "../../core/storage.ts";
import { loadConfig } from "../config/load_config.ts";
import { openStore } from "../store/open_store.ts";
import { SqliteStore } from "../store/sqlite_store.ts";
import { type Output, UsageError } from "./output.ts";

const USAGE =
  "usage: deno run -A edge/main.ts export-recording [--store PATH | --config PATH] --venue binance|binance_us --symbol SYM --out FILE[.gz]\n" +
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
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        store: { type: "string" },
        config: { type: "string", default: "config.yaml" },
        venue: { type: "string", default: "binance_us" },
        symbol: { type: "string", default: "BTC/USDT" },
        out: { type: "string" },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (!values.out) throw new UsageError(`--out is required\n${USAGE}`);
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
      const ns = BigInt(Math.round(e.receiveTime * 1_000)) * 1_000n;
      lines.push(`${ns} ${JSON.stringify(frameOf(e, inst))}`);
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

function frameOf(e: MarketEvent, inst: Instrument): unknown {
  const s = inst.venueSymbol;
  const lv = (levels: readonly LevelUpdate[]) =>
    levels.map(([p, q]) => [formatPrice(inst, p), formatSize(inst, q)]);
  if (e.kind === "snapshot") {
    return { lastUpdateId: e.sequence, bids: lv(e.bids), asks: lv(e.asks) };
  }
  const stream = s.toLowerCase();
  if (e.kind === "delta") {
    return {
      stream: `${stream}@depth@100ms`,
      data: {
        e: "depthUpdate",
        E: e.exchangeTime,
        s,
        U: e.firstSequence,
        u: e.lastSequence,
        b: lv(e.bids),
        a: lv(e.asks),
      },
    };
  }
  return {
    stream: `${stream}@trade`,
    data: {
      e: "trade",
      E: e.exchangeTime,
      s,
      t: Number(e.tradeId),
      p: formatPrice(inst, e.price),
      q: formatSize(inst, e.size),
      T: e.exchangeTime,
      m: e.takerSide === "sell",
    },
  };
}
