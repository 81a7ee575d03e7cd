/** Schema. */
export const MIGRATIONS = [
  "CREATE TABLE IF NOT EXISTS paper_decisions (seq INTEGER)",
  `CREATE TABLE trades (id INTEGER)`,
];
