/**
 * Test and benchmark fixtures written straight into an SQLite store: SQL fixture files, SQL
 * statements, and a synthetic fill writer (the dashboard's end-to-end benchmark). For tests and
 * measurements only; product code goes through the repositories.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";

/** Runs SQL statements against the SQLite store at `path` (waits up to 5 s for a writer). */
export function execSql(path: string, sql: string): void {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA busy_timeout = 5000;");
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** Runs the SQL fixture file `file` against the SQLite store at `path`. */
export async function runSqlFile(path: string, file: string): Promise<void> {
  execSql(path, await Deno.readTextFile(file));
}

/** Appends synthetic paper fills (run "perf") in transactions of `n` rows. */
export interface SyntheticFills {
  /** Writes `n` fills at time `now` in one transaction; returns the total written. */
  write(n: number, now: number): number;
  /** Closes the connection. */
  close(): void;
}

/** A {@linkcode SyntheticFills} writer on the SQLite store at `path`. */
export function syntheticFills(path: string): SyntheticFills {
  const db = new DatabaseSync(path);
  const insert = db.prepare(
    `INSERT INTO paper_fills (run_id, seq, order_id, venue, symbol, side, price, size, notional, fee, liquidity, time, tag)
     VALUES ('perf', ?, 'p', 'binance', 'BTC/USDT', 'buy', 6160201, 100000, '61602010000000000000', '61602010000000000', 'taker', ?, 'perf')`,
  );
  let written = 0;
  return {
    write(n, now) {
      db.exec("BEGIN");
      for (let i = 0; i < n; i++) insert.run(++written, now);
      db.exec("COMMIT");
      return written;
    },
    close: () => db.close(),
  };
}
