/**
 * One-minute candle histories in the common formats, validated line by line:
 *
 * - Binance kline CSV (data.binance.vision): no header, `open_time, open, high,
 *   low, close, volume, close_time, quote_volume, trades, taker_buy_base,
 *   taker_buy_quote, ignore`; open time in ms (or µs, as the 2025+ files are);
 * - CSV with a header naming `timestamp|date|time|open_time`, `open`, `high`,
 *   `low`, `close`, `volume` (ISO-like dates such as `2021-12-31 23:01:00.000000`
 *   are UTC, or epoch ms/s);
 * - freqtrade JSON `[[ms, open, high, low, close, volume], ...]`.
 *
 * Bad input fails with the file and line (or array index) and what is wrong.
 *
 * @module
 */

/** One candle. */
export interface Candle {
  /** Open time, epoch ms. */
  readonly time: number;
  /** Open price. */
  readonly open: number;
  /** High price. */
  readonly high: number;
  /** Low price. */
  readonly low: number;
  /** Close price. */
  readonly close: number;
  /** Base volume. */
  readonly volume: number;
  /** Taker buy base volume (Binance klines), when the format has it. */
  readonly takerBuyVolume?: number;
  /** Number of trades (Binance klines), when the format has it. */
  readonly trades?: number;
}

/** Bad candle input. */
export class CandleFormatError extends Error {
  override name = "CandleFormatError";
}

function epochMs(text: string, where: string): number {
  const t = text.trim().replace(/^"|"$/g, "");
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    // seconds, milliseconds or microseconds since the epoch
    if (n < 1e11) return n * 1000;
    if (n < 1e14) return n;
    return Math.floor(n / 1000);
  }
  const iso = t.includes("T") ? t : t.replace(" ", "T");
  const ms = Date.parse(
    /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso.replace(/(\.\d{3})\d+/, "$1")}Z`,
  );
  if (!Number.isFinite(ms)) throw new CandleFormatError(`${where}: cannot read time '${text}'`);
  return ms;
}

function check(c: Candle, where: string, prev: Candle | undefined): Candle {
  const vals = [c.open, c.high, c.low, c.close];
  if (vals.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new CandleFormatError(
      `${where}: prices must be positive numbers, got ${vals.join(", ")}`,
    );
  }
  if (!Number.isFinite(c.volume) || c.volume < 0) {
    throw new CandleFormatError(`${where}: volume must be a number >= 0, got ${c.volume}`);
  }
  if (c.high < Math.max(c.open, c.close) || c.low > Math.min(c.open, c.close)) {
    throw new CandleFormatError(`${where}: high/low do not bound open/close (${vals.join(", ")})`);
  }
  if (prev !== undefined && c.time <= prev.time) {
    throw new CandleFormatError(
      `${where}: time ${new Date(c.time).toISOString()} is not after the previous candle's`,
    );
  }
  return c;
}

/** Parses candle text; `name` (the file) goes into error messages. */
export function parseCandles(text: string, name: string): Candle[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) return parseFreqtrade(trimmed, name);
  const lines = text.split(/\r?\n/);
  const out: Candle[] = [];
  let cols: Record<string, number> | undefined;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${name}:${i + 1}`;
    const f = line.split(",");
    if (
      out.length === 0 && cols === undefined && /[a-z]/i.test(f[0] ?? "") && !/^\d/.test(f[0] ?? "")
    ) {
      const names = f.map((h) => h.trim().toLowerCase().replace(/^"|"$/g, ""));
      const time = names.findIndex((h) =>
        ["timestamp", "date", "time", "open_time", "datetime"].includes(h)
      );
      const need = ["open", "high", "low", "close", "volume"];
      const idx = need.map((h) => names.indexOf(h));
      if (time < 0 || idx.some((k) => k < 0)) {
        throw new CandleFormatError(
          `${where}: header '${line.trim()}' lacks a time column or one of ${need.join(", ")}`,
        );
      }
      cols = {
        time,
        open: idx[0] as number,
        high: idx[1] as number,
        low: idx[2] as number,
        close: idx[3] as number,
        volume: idx[4] as number,
      };
      return;
    }
    const c = cols ?? { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 };
    if (f.length < 6) {
      throw new CandleFormatError(`${where}: expected at least 6 columns, got ${f.length}`);
    }
    const num = (k: number) => Number(f[k]);
    const binance = cols === undefined && f.length >= 11;
    out.push(check(
      {
        time: epochMs(f[c.time as number] as string, where),
        open: num(c.open as number),
        high: num(c.high as number),
        low: num(c.low as number),
        close: num(c.close as number),
        volume: num(c.volume as number),
        ...(binance ? { trades: num(8), takerBuyVolume: num(9) } : {}),
      },
      where,
      out.at(-1),
    ));
  });
  if (out.length === 0) throw new CandleFormatError(`${name}: no candles`);
  return out;
}

function parseFreqtrade(text: string, name: string): Candle[] {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (e) {
    throw new CandleFormatError(`${name}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(rows)) throw new CandleFormatError(`${name}: expected an array of candles`);
  const out: Candle[] = [];
  rows.forEach((r, i) => {
    const where = `${name}[${i}]`;
    if (
      !Array.isArray(r) || r.length < 6 ||
      r.slice(0, 6).some((v) => typeof v !== "number" && typeof v !== "string")
    ) {
      throw new CandleFormatError(`${where}: expected [ms, open, high, low, close, volume]`);
    }
    out.push(check(
      {
        time: epochMs(String(r[0]), where),
        open: Number(r[1]),
        high: Number(r[2]),
        low: Number(r[3]),
        close: Number(r[4]),
        volume: Number(r[5]),
      },
      where,
      out.at(-1),
    ));
  });
  if (out.length === 0) throw new CandleFormatError(`${name}: no candles`);
  return out;
}

/** Reads and parses a candle file (`.gz` is decompressed). */
export async function readCandles(path: string): Promise<Candle[]> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new CandleFormatError(`${path}: cannot read: ${(e as Error).message}`);
  }
  if (path.endsWith(".gz")) {
    bytes = new Uint8Array(
      await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")))
        .arrayBuffer(),
    );
  }
  return parseCandles(new TextDecoder().decode(bytes), path);
}
