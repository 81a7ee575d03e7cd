/**
 * `deno task bench:retention-rss [--passes 60] [--events 40000] [--mode full|none]`: the RSS of
 * a process that writes a store and applies the retention policy (store cap 8 MiB) after every
 * batch of `--events` synthetic deltas on 4 books, as the live edge does; `--mode none` writes
 * the same events without retention (the baseline). Prints RSS, V8 heap used/total and
 * external memory per pass, then the mean over the second half and the RSS of the process's
 * mappings by kind (/proc/self/smaps). Run it with the live edge's V8 flags (the task does).
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { defaultInstruments } from "../../core/market/instruments.ts";
import { parseFlags } from "../../infra/cli/flags.ts";
import { runScript } from "../../infra/cli/command.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { applyRetention } from "./retention.ts";

const MB = 1024 * 1024;

/** Synthetic deltas round-robin over `insts`, sequences per book from `seq`. */
function deltas(insts: Instrument[], seq: Map<string, number>, t0: number, n: number) {
  const out: MarketEvent[] = [];
  for (let k = 0; k < n; k++) {
    const i = insts[k % insts.length]!;
    const s = seq.get(i.venueSymbol + i.venue) ?? 1;
    seq.set(i.venueSymbol + i.venue, s + 1);
    const t = t0 + 2 * k;
    out.push({
      kind: "delta",
      venue: i.venue,
      symbol: i.symbol,
      exchangeTime: t,
      receiveTime: t,
      firstSequence: s,
      lastSequence: s,
      bids: [[(1_000_000 - (s % 50)) as never, (s % 7) as never]],
      asks: [[(1_000_100 + (s % 50)) as never, ((s % 5) + 1) as never]],
    });
  }
  return out;
}

/** RSS (MB) of this process's mappings by kind: anonymous, brk heap, the binary, other. */
export function rssByMapping(smaps: string): Record<string, number> {
  const out: Record<string, number> = { anon: 0, brk_heap: 0, binary: 0, other: 0 };
  let kind = "other";
  for (const line of smaps.split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1] ?? "";
      kind = name === "" || name.startsWith("[anon")
        ? "anon"
        : name === "[heap]"
        ? "brk_heap"
        : name === Deno.execPath()
        ? "binary"
        : "other";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] = (out[kind] ?? 0) + Number(rss[1]) / 1024;
  }
  return out;
}

/**
 * CLI entry.
 *
 * @returns Exit code (0, or 1 when a retention pass reported errors).
 */
export async function retentionRssCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    name: "deno task bench:retention-rss",
    options: {
      passes: { type: "string", default: "60" },
      events: { type: "string", default: "40000" },
      mode: { type: "string", default: "full" },
    },
  });
  const passes = Number(values.passes);
  const events = Number(values.events);
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`--passes: not a count`);
  if (!Number.isInteger(events) || events < 1000) throw new Error(`--events: at least 1000`);
  if (values.mode !== "full" && values.mode !== "none") throw new Error(`--mode: full or none`);
  const dir = await Deno.makeTempDir({ prefix: "tickerml-retention-rss-" });
  const store = await SqliteStore.open(`${dir}/store.db`);
  let failed = 0;
  try {
    const insts = defaultInstruments().slice(0, 4);
    await store.putInstruments(insts);
    let t = Date.parse("2026-01-01T00:00:00Z");
    await store.writeBatch({
      events: insts.map((i) => ({
        kind: "snapshot" as const,
        venue: i.venue,
        symbol: i.symbol,
        exchangeTime: t,
        receiveTime: t,
        sequence: 0,
        bids: [[1_000_000 as never, 5 as never]],
        asks: [[1_000_100 as never, 5 as never]],
      })),
    });
    const seq = new Map<string, number>();
    const rss: number[] = [];
    for (let p = 0; p < passes; p++) {
      for (let b = 0; b < events; b += 1000) {
        await store.writeBatch({ events: deltas(insts, seq, t, 1000) });
        t += 2000;
      }
      let line = "";
      if (values.mode === "full") {
        const r = await applyRetention(store, { maxStoreBytes: 8 * MB, archiveDir: `${dir}/a` }, {
          now: t,
        });
        failed += r.errors.length;
        line = ` archived ${r.archived_rows} rows, store ${
          (r.store_bytes_after / MB).toFixed(1)
        } MB`;
      }
      const m = Deno.memoryUsage();
      rss.push(m.rss / MB);
      console.log(
        `pass ${p}: rss ${(m.rss / MB).toFixed(1)} MB, heap ${(m.heapUsed / MB).toFixed(1)}/${
          (m.heapTotal / MB).toFixed(1)
        } MB, external ${(m.external / MB).toFixed(1)} MB${line}`,
      );
    }
    const half = rss.slice(Math.floor(rss.length / 2));
    const mean = half.reduce((s, x) => s + x, 0) / half.length;
    const by = rssByMapping(await Deno.readTextFile("/proc/self/smaps").catch(() => ""));
    console.log(
      `mode ${values.mode}: RSS mean over passes ${passes - half.length}-${passes - 1} ${
        mean.toFixed(1)
      } MB, max ${Math.max(...rss).toFixed(1)} MB; by mapping: ${
        Object.entries(by).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")
      } MB`,
    );
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
  return failed ? 1 : 0;
}

if (import.meta.main) {
  Deno.exit(
    await runScript("bench:retention-rss", {
      summary: "",
      run: (args) => retentionRssCommand(args),
    }),
  );
}
