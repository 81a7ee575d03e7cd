import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ExperienceFileError, primaryStream, readExperience } from "./experience.ts";

/** The edge's `paper_decisions` at trading schema `version` (3 and 4 add the last three columns). */
function store(path: string, version: number): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec(`CREATE TABLE trading_schema_migrations (version INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE paper_decisions (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, time REAL NOT NULL, venue TEXT NOT NULL,
  symbol TEXT NOT NULL, action TEXT NOT NULL, size REAL NOT NULL, confidence REAL,
  outputs TEXT, mid REAL, order_id TEXT, rejected TEXT, outcome_bps REAL,
  ${version >= 3 ? "position_fraction REAL, horizon_ms REAL," : ""}
  ${version >= 4 ? "position_cap REAL," : ""}
  PRIMARY KEY (run_id, seq));`);
  for (let v = 1; v <= version; v++) {
    db.prepare("INSERT INTO trading_schema_migrations VALUES (?, ?)").run(v, `v${v}`);
  }
  return db;
}

Deno.test("readExperience() keeps settled records of the stream and counts the rest by reason", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/edge.db`;
  const db = store(path, 4);
  const ins = db.prepare(
    "INSERT INTO paper_decisions VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, 100, ?, ?, ?, ?, ?, ?)",
  );
  ins.run("r1", 1, 2000, "binance_us", "BTC/USDT", "buy", 0.5, "o1", null, 12.5, 0, 60000, 0.25);
  ins.run("r1", 2, 1000, "binance_us", "BTC/USDT", "hold", 0, null, null, -3, 0.1, 60000, 0.25);
  ins.run("r1", 3, 3000, "binance_us", "BTC/USDT", "buy", 0.5, null, "cash", 4, 0.1, 60000, 0.25);
  ins.run("r1", 4, 4000, "kraken", "BTC/USD", "buy", 0.5, "o2", null, 1, 0, 60000, 0.25);
  ins.run("r1", 5, 5000, "binance_us", "BTC/USDT", "sell", 1, "o3", null, null, 0.2, 60000, 0.25);
  ins.run("r1", 6, 6000, "binance_us", "BTC/USDT", "moon", 1, "o4", null, 2, 0.2, 60000, 0.25);
  ins.run("r1", 7, 7000, "binance_us", "BTC/USDT", "buy", 3, "o5", null, 2, 0.2, 60000, 0.25);
  ins.run("r1", 8, 8000, "binance_us", "BTC/USDT", "hold", 0, null, null, 1, null, null, null);
  ins.run("r1", 9, 9000, "binance_us", "BTC/USDT", "hold", 0, null, null, 1, null, 60000, 0.25);
  ins.run("r1", 10, 9500, "binance_us", "BTC/USDT", "hold", 0, null, null, 1, 0, 60000, null);
  db.close();
  const r = readExperience(path, "binance_us.btc_usdt");
  assert.deepEqual(r.records.map((x) => [x.seq, x.action, x.size]), [
    [2, "hold", 0],
    [1, "buy", 0.5],
    [3, "hold", 0], // refused: nothing was sent
  ]);
  assert.equal(r.records[1]?.outcomeBps, 12.5);
  assert.equal(r.records[0]?.positionFraction, 0.1);
  assert.equal(r.records[0]?.positionCap, 0.25);
  assert.deepEqual(r.skipped, {
    "other stream": 1,
    "no outcome (not settled yet, or no mid)": 1,
    "invalid row": 2,
    "recorded before schema v3": 1,
    "no position (equity not positive)": 1,
    "recorded before schema v4 (no position cap)": 1,
  });
  assert.equal(r.problems.length, 2);
  assert.match(r.problems[0] as string, /edge\.db r1#6: action/);
  assert.match(r.problems[1] as string, /r1#7: size/);
});

Deno.test("readExperience() names the file and what is wrong with it", async () => {
  const dir = await Deno.makeTempDir();
  store(`${dir}/old.db`, 3).close();
  assert.throws(
    () => readExperience(`${dir}/old.db`, "binance.btc_usdt"),
    (e) =>
      e instanceof ExperienceFileError &&
      /old\.db: its trading schema is v3; records need v4/.test(e.message),
  );
  new DatabaseSync(`${dir}/market.db`).close();
  assert.throws(() => readExperience(`${dir}/market.db`, "x"), /no paper-trading tables/);
  await Deno.writeTextFile(`${dir}/text.db`, "not a database at all, just text ".repeat(40));
  assert.throws(() => readExperience(`${dir}/text.db`, "x"), /text\.db/);
  assert.throws(() => readExperience(`${dir}/missing.db`, "x"), /missing\.db/);
  assert.equal(
    primaryStream(["binance.btc_usdt.book.spread_bps", "binance.btc_usdt.book.mid"]),
    "binance.btc_usdt",
  );
});
