import type { Migration } from "../migration.ts";

/**
 * Tables of the paper trader, versioned separately (`trading_schema_migrations`) from the
 * market-data schema so both can evolve independently in one database file. Amounts
 * (10^-18 of the asset) are exact integers stored as TEXT; prices and sizes are the
 * instrument's fixed-point integers. Equity samples go to the seed's `portfolio_state`.
 * `paper_controls` keeps each operator command a run handled with the event cursor it was
 * applied at, so a restart re-applies it at the same point of the replay.
 * Version 3 makes `paper_decisions` self-describing experience records for the trainer:
 * the position fraction before the decision and the horizon of `outcome_bps`; version 4 adds
 * the sizing cap the decision was sized under.
 */
export const TRADING_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "paper trading",
    sql: `
CREATE TABLE paper_runs (
  run_id TEXT PRIMARY KEY, strategy TEXT NOT NULL, created_at INTEGER NOT NULL,
  sources TEXT NOT NULL, cursor INTEGER NOT NULL, last_time REAL NOT NULL,
  order_seq INTEGER NOT NULL, fill_seq INTEGER NOT NULL, decision_seq INTEGER NOT NULL, fees TEXT NOT NULL,
  ledger_seq INTEGER NOT NULL, risk TEXT NOT NULL, finished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE paper_orders (
  run_id TEXT NOT NULL, id TEXT NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL,
  side TEXT NOT NULL, type TEXT NOT NULL, tif TEXT, size INTEGER NOT NULL, price INTEGER,
  reduce_only INTEGER NOT NULL, tag TEXT, status TEXT NOT NULL, filled INTEGER NOT NULL,
  submit_time REAL NOT NULL, arrival_time REAL NOT NULL, decision_mid REAL,
  queue_ahead REAL NOT NULL, reason TEXT, cancel_at REAL,
  PRIMARY KEY (run_id, id)
);
CREATE TABLE paper_fills (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, order_id TEXT NOT NULL, venue TEXT NOT NULL,
  symbol TEXT NOT NULL, side TEXT NOT NULL, price INTEGER NOT NULL, size INTEGER NOT NULL,
  notional TEXT NOT NULL, fee TEXT NOT NULL, liquidity TEXT NOT NULL, time REAL NOT NULL,
  decision_mid REAL, tag TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE paper_balances (
  run_id TEXT NOT NULL, venue TEXT NOT NULL, asset TEXT NOT NULL, amount TEXT NOT NULL,
  PRIMARY KEY (run_id, venue, asset)
);
CREATE TABLE paper_ledger (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, time REAL NOT NULL, venue TEXT NOT NULL,
  asset TEXT NOT NULL, delta TEXT NOT NULL, balance TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE paper_positions (
  run_id TEXT NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL, qty INTEGER NOT NULL,
  cost TEXT NOT NULL, realized_gross TEXT NOT NULL, fees TEXT NOT NULL, opened_at REAL,
  trip_fees TEXT NOT NULL, trip_peak_cost TEXT NOT NULL, trip_gross TEXT NOT NULL,
  PRIMARY KEY (run_id, venue, symbol)
);
CREATE TABLE paper_round_trips (
  run_id TEXT NOT NULL, n INTEGER NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL,
  open_time REAL NOT NULL, close_time REAL NOT NULL, gross TEXT NOT NULL, fees TEXT NOT NULL,
  cost TEXT NOT NULL,
  PRIMARY KEY (run_id, n)
);
CREATE TABLE paper_risk_events (
  run_id TEXT NOT NULL, n INTEGER NOT NULL, time REAL NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL,
  PRIMARY KEY (run_id, n)
);
CREATE TABLE paper_decisions (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, time REAL NOT NULL, venue TEXT NOT NULL,
  symbol TEXT NOT NULL, action TEXT NOT NULL, size REAL NOT NULL, confidence REAL,
  outputs TEXT, mid REAL, order_id TEXT, rejected TEXT, outcome_bps REAL,
  PRIMARY KEY (run_id, seq)
);
`,
  },
  {
    version: 2,
    name: "operator controls applied by a run",
    sql: `
CREATE TABLE paper_controls (
  run_id TEXT NOT NULL, n INTEGER NOT NULL, command_id INTEGER NOT NULL, cursor INTEGER NOT NULL,
  time REAL NOT NULL, command TEXT NOT NULL, source TEXT NOT NULL, status TEXT NOT NULL,
  detail TEXT NOT NULL, handled_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, n)
);
`,
  },
  {
    version: 3,
    name: "experience records: position fraction and outcome horizon",
    sql: `
ALTER TABLE paper_decisions ADD COLUMN position_fraction REAL;
ALTER TABLE paper_decisions ADD COLUMN horizon_ms REAL;
`,
  },
  {
    version: 4,
    name: "experience records: the sizing cap of each decision",
    sql: `
ALTER TABLE paper_decisions ADD COLUMN position_cap REAL;
`,
  },
];
