import assert from "node:assert/strict";
import { parseDiskFullLog } from "./disk_fill.ts";

const line = (message: string) => `  ${JSON.stringify({ kind: "store", message })}`;

Deno.test("parseDiskFullLog: the real error, pauses, resumes after the last pause, reported drops", () => {
  const log = [
    line(
      "store write failed: database or disk is full; writing paused, holding up to 50000 events in memory, retrying every 5000 ms",
    ),
    line("store writable again after 5 s: wrote 1 held events"),
    line(
      "store write failed: database or disk is full; writing paused, holding up to 50000 events in memory, retrying every 5000 ms",
    ),
    line(
      "store buffer full (50000 events): dropping the oldest unwritten events until the store takes writes",
    ),
  ];
  const paused = parseDiskFullLog(log.join("\n"));
  assert.deepEqual(paused, {
    pauses: 2,
    first_error: "database or disk is full",
    resumes: 1,
    resumed_after_last_pause: false,
    dropped_events: 0,
    trader_waits: 0,
    trader_resumes: 0,
    rollback_errors: 0,
  });
  log.push(
    line(
      "store writable again after 20 s: wrote 50000 held events, 1234 oldest events were dropped",
    ),
  );
  log.push(line("paper trader: store write failed: database or disk is full; trading waits"));
  log.push(line("paper trader: store writable again after 9 s"));
  log.push("retention: cannot rollback - no transaction is active");
  const resumed = parseDiskFullLog(log.join("\n"));
  assert.equal(resumed.resumed_after_last_pause, true);
  assert.equal(resumed.resumes, 2);
  assert.equal(resumed.dropped_events, 1234);
  assert.equal(resumed.rollback_errors, 1);
  assert.deepEqual([resumed.trader_waits, resumed.trader_resumes], [1, 1]);
});
