import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { sentLogName } from "../simulator/sent_log.ts";
import { checkSentDeltas } from "./sent_checks.ts";

Deno.test("sent-log check: every venue's deltas matched one by one; gaps recorded by a resync, missing otherwise; repeats are duplicates", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-sent-" });
  const db = new DatabaseSync(":memory:");
  try {
    db.exec(`CREATE TABLE book_deltas (venue TEXT, symbol TEXT, exchange_time INTEGER,
      first_sequence INTEGER, last_sequence INTEGER, checksum INTEGER);
      CREATE TABLE order_books (venue TEXT, symbol TEXT, source TEXT, receive_time REAL);`);
    const put = db.prepare("INSERT INTO book_deltas VALUES (?, ?, ?, ?, ?, ?)");
    const snap = db.prepare("INSERT INTO order_books VALUES (?, ?, 'venue', ?)");
    const sent: Record<string, string[]> = {};
    const send = (venue: string, symbol: string, key: string, t: number) =>
      (sent[sentLogName(venue, symbol)] ??= []).push(`${key} ${t}`);
    // Coinbase: 1..10 sent at t = 1000..10000; 4..5 never stored and no snapshot after them
    // (missing 2); 8 stored twice (duplicated 1).
    for (let i = 1; i <= 10; i++) {
      send("coinbase", "BTC/USD", `${i * 1000}|${i}`, i * 1000);
      if (i === 4 || i === 5) continue;
      put.run("coinbase", "BTC/USD", i * 1000, i, i, null);
      if (i === 8) put.run("coinbase", "BTC/USD", i * 1000, i, i, null);
    }
    // Kraken: 1..10; 3..6 lost while the edge was down, a snapshot stored 5 s after: recorded.
    for (let i = 1; i <= 10; i++) {
      send("kraken", "ETH/USD", `${i * 1000}|${900 + i}`, i * 1000);
      if (i < 3 || i > 6) put.run("kraken", "ETH/USD", i * 1000, 0, 0, 900 + i);
    }
    snap.run("kraken", "ETH/USD", 11_000);
    // KuCoin: update ids; the last two were sent after the stop (t >= 9000).
    for (let i = 1; i <= 10; i++) {
      send("kucoin", "BTC/USDT", `${i * 10 + 1}-${i * 10 + 10}`, i * 1000);
      if (i <= 8) put.run("kucoin", "BTC/USDT", i * 1000, i * 10 + 1, i * 10 + 10, null);
    }
    for (const [name, lines] of Object.entries(sent)) {
      await Deno.writeTextFile(`${dir}/${name}`, lines.join("\n") + "\n");
    }
    const books = await checkSentDeltas(db, { dir, stoppedAt: 9_500 });
    const by = Object.fromEntries(books.map((b) => [`${b.venue} ${b.symbol}`, b]));
    const pick = (k: string) => {
      const b = by[k]!;
      return [b.sent, b.deltas, b.missing, b.duplicated, b.recordedGaps, b.afterStop];
    };
    assert.deepEqual(pick("coinbase BTC/USD"), [10, 9, 2, 1, 0, 0]);
    assert.deepEqual(pick("kraken ETH/USD"), [10, 6, 0, 0, 1, 0]);
    assert.deepEqual(pick("kucoin BTC/USDT"), [10, 8, 0, 0, 0, 2]);
    // The same loss inside the full-disk window is counted apart, not missing.
    const full = await checkSentDeltas(db, { dir, stoppedAt: 9_500, fullWindow: [3_500, 6_000] });
    const cb = full.find((b) => b.venue === "coinbase")!;
    assert.equal(cb.missing, 0);
    assert.equal(cb.droppedWhileFull, 2);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
