/**
 * Experience records: the paper trader's decisions and their outcomes, read
 * from the edge's SQLite store (`paper_decisions`, trading schema v4 or later)
 * for experience replay in RL training. The file is opened read-only; a
 * running edge can keep writing to it (WAL).
 *
 * Each row is validated; bad rows are counted by reason with the first few
 * named by run and sequence, never silently dropped.
 *
 * @module
 */

import { DecisionRecordReader } from "../../infra/store/trading/decision_records.ts";
import { z } from "zod";
import { streamPrefix } from "../../core/features/spec.ts";
import type { VenueId } from "../../core/market/instrument.ts";

/** One decision of the edge with its later outcome. */
export interface ExperienceRecord {
  /** Paper-trading run. */
  readonly runId: string;
  /** Sequence in the run. */
  readonly seq: number;
  /** Decision time, epoch ms. */
  readonly time: number;
  /** Venue id. */
  readonly venue: string;
  /** Normalized symbol, e.g. "BTC/USDT". */
  readonly symbol: string;
  /** What was done: the decision's action when an order was sent, otherwise "hold". */
  readonly action: "hold" | "buy" | "sell";
  /** Order size 0..1 (engine meaning: buys a share of the equity cap, sells a share of the position). */
  readonly size: number;
  /** Position value / equity before the decision. */
  readonly positionFraction: number;
  /** Mid change over the horizon, bps. */
  readonly outcomeBps: number;
  /** Horizon of the outcome, ms. */
  readonly horizonMs: number;
  /** Sizing cap the decision was sized under (fraction of equity). */
  readonly positionCap: number;
}

/** What {@linkcode readExperience} found. */
export interface ExperienceRead {
  /** Usable records of the requested stream, in time order. */
  readonly records: ExperienceRecord[];
  /** Rows left out, by reason. */
  readonly skipped: Record<string, number>;
  /** The first few invalid rows, "path run_id#seq: problem". */
  readonly problems: string[];
}

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const Row = z.object({
  run_id: z.string().min(1),
  seq: z.number().int(),
  time: finite,
  venue: z.string().min(1),
  symbol: z.string().min(1),
  action: z.enum(["hold", "buy", "sell"]),
  size: finite.pipe(z.number().min(0).max(1)),
  order_id: z.string().nullable(),
  rejected: z.string().nullable(),
  outcome_bps: finite.nullable(),
  position_fraction: finite.pipe(z.number().min(0).max(1)).nullable(),
  horizon_ms: finite.pipe(z.number().positive()).nullable(),
  position_cap: finite.pipe(z.number().min(0).max(1)).nullable(),
});

/** Error for a file that is not an edge store with experience records. */
export class ExperienceFileError extends Error {
  /** @param path The file. @param why What is wrong. */
  constructor(path: string, why: string) {
    super(`Cannot read experience records from ${path}: ${why}`);
    this.name = "ExperienceFileError";
  }
}

/**
 * Reads the experience records of one stream (`venue`, `symbol` as the feature
 * spec names it, e.g. prefix "binance_us.btc_usdt") from an edge SQLite store.
 *
 * @throws {ExperienceFileError} When the file cannot be opened or predates trading schema v4.
 */
export function readExperience(path: string, stream: string): ExperienceRead {
  let db: DecisionRecordReader;
  try {
    db = DecisionRecordReader.open(path);
  } catch (e) {
    throw new ExperienceFileError(path, (e as Error).message);
  }
  try {
    let version: number;
    try {
      version = db.tradingSchemaVersion();
    } catch (e) {
      throw new ExperienceFileError(path, `not an SQLite store (${(e as Error).message})`);
    }
    if (version < 4) {
      throw new ExperienceFileError(
        path,
        version === 0
          ? "it has no paper-trading tables (run `deno task trade` or `deno task start` with this store)"
          : `its trading schema is v${version}; records need v4 (position_fraction, horizon_ms, position_cap): open it once with the current edge to migrate`,
      );
    }
    const rows = db.rows(); // rows stream: a store may hold months of decisions
    const records: ExperienceRecord[] = [];
    const skipped: Record<string, number> = {};
    const problems: string[] = [];
    const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
    for (const raw of rows) {
      const r = Row.safeParse(raw);
      if (!r.success) {
        skip("invalid row");
        if (problems.length < 5) {
          const o = raw as Record<string, unknown>;
          const issue = r.error.issues[0];
          problems.push(
            `${path} ${o.run_id}#${o.seq}: ${issue?.path.join(".")} ${issue?.message}`,
          );
        }
        continue;
      }
      const d = r.data;
      if (streamPrefix({ venue: d.venue as VenueId, symbol: d.symbol }) !== stream) {
        skip("other stream");
      } else if (d.outcome_bps === null) skip("no outcome (not settled yet, or no mid)");
      else if (d.horizon_ms === null) skip("recorded before schema v3");
      else if (d.position_cap === null) skip("recorded before schema v4 (no position cap)");
      else if (d.position_fraction === null) skip("no position (equity not positive)");
      else {
        const sent = d.order_id !== null && d.rejected === null;
        records.push({
          runId: d.run_id,
          seq: d.seq,
          time: d.time,
          venue: d.venue,
          symbol: d.symbol,
          action: sent ? d.action : "hold",
          size: sent ? d.size : 0,
          positionFraction: d.position_fraction,
          outcomeBps: d.outcome_bps,
          horizonMs: d.horizon_ms,
          positionCap: d.position_cap,
        });
      }
    }
    return { records, skipped, problems };
  } finally {
    db.close();
  }
}

/** The primary stream prefix of a dataset (the first `*.book.mid` feature). */
export function primaryStream(names: readonly string[]): string {
  const mid = names.find((n) => n.endsWith(".book.mid"));
  if (mid === undefined) throw new RangeError("Dataset has no *.book.mid feature");
  return mid.slice(0, -".book.mid".length);
}
