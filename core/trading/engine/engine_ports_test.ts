import assert from "node:assert/strict";
import type { Lots } from "../../market/fixed_point.ts";
import { Ledger } from "../ledger/ledger.ts";
import { parseAmount } from "../orders/money.ts";
import { RiskManager } from "../risk/risk.ts";
import { scenario } from "../testing/testing.ts";
import { admitOrder } from "./order_entry.ts";
import { RunnerSet } from "./runner_set.ts";

Deno.test("the engine's internals are not part of its surface", () => {
  const { engine } = scenario();
  // @ts-expect-error the risk journal is private
  assert.equal(engine.flushRisk, undefined);
  // @ts-expect-error the sink is set, never read, from outside
  assert.equal(engine.sink, undefined);
  // @ts-expect-error the performance monitor is private
  assert.equal(engine.monitor, undefined);
  // @ts-expect-error restart goes through restore()
  assert.equal(engine.restoreRun, undefined);
  // @ts-expect-error restart goes through restore()
  assert.equal(engine.adoptOrder, undefined);
  assert.equal(typeof engine.restore, "function");
});

Deno.test("order entry runs on its ports alone: the books, a ledger and a risk check", () => {
  const s = scenario();
  const cfg = s.engine.cfg;
  const books = new RunnerSet(cfg, {
    nextFillSeq: () => 1,
    onFill: () => {},
    onOrder: () => {},
  });
  const ledger = new Ledger();
  const risk = new RiskManager(cfg.risk);
  const runner = books.runner(s.inst.venue, s.inst.symbol);
  assert.ok(runner);
  const req = {
    venue: s.inst.venue,
    symbol: s.inst.symbol,
    side: "buy",
    type: "market",
    size: 10_000_000 as Lots,
  } as const;
  const entry = { id: "o1", now: 0, force: false };
  const halted = admitOrder({ cfg, books, ledger, risk }, req, entry);
  assert.ok("ok" in halted && halted.code === "book_halted", "no snapshot yet: not tradable");

  runner.apply(s.script.snapshot(1, [[9999, 1e10]], [[10001, 1e10]]), 1);
  const broke = admitOrder({ cfg, books, ledger, risk }, req, entry);
  assert.ok("ok" in broke, "nothing deposited yet");
  assert.equal(broke.code, "balance", broke.reason);

  ledger.deposit({
    venue: s.inst.venue,
    asset: s.inst.quote,
    amount: parseAmount("1000"),
    time: 1,
  });
  const admitted = admitOrder({ cfg, books, ledger, risk }, req, entry);
  assert.equal(admitted, runner);
  assert.ok(ledger.available(s.inst.venue, s.inst.quote) < parseAmount("1000"), "funds reserved");

  risk.kill(2, "test");
  const refused = admitOrder({ cfg, books, ledger, risk }, req, { ...entry, id: "o2" });
  assert.ok("ok" in refused, "the risk check refuses entries when HALTED");
});
