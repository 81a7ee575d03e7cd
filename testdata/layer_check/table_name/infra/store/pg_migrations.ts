/** Schema. */
export const MIGRATIONS = [
  "CREATE TABLE IF NOT EXISTS control_commands (id BIGSERIAL)",
  "CREATE TABLE IF NOT EXISTS trades (id BIGINT)",
  "CREATE MATERIALIZED VIEW ohlcv AS SELECT 1",
];
