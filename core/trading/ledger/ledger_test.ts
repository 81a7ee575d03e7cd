import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import { Ledger } from "./ledger.ts";
import { parseAmount } from "../orders/money.ts";
import type { Fill } from "../orders/order.ts";
import { testInstrument } from "../testing/testing.ts";

const inst = testInstrument();
let seq = 0;
function fill(side: "buy" | "sell", price: number, size: number, fee = "0", time = 0): Fill {
  const notional = BigInt(price) * BigInt(size) * 10n ** 8n;
  return {
    seq: ++seq,
    orderId: `o${seq}`,
    venue: "binance",
    symbol: "BTC/USDT",
    side,
    price: price as Ticks,
    size: size as Lots,
    notional,
    fee: parseAmount(fee),
    liquidity: "taker",
    time,
    decisionMid: undefined,
    tag: "",
  };
}

Deno.test("Ledger applies fills to explicit balances with fees", () => {
  const l = new Ledger();
  l.deposit({ venue: "binance", asset: "USDT", amount: parseAmount("1000"), time: 0 });
  l.applyFill(fill("buy", 10000_00, 1_000_000, "0.1"), inst); // 0.01 BTC at 10000
  assert.equal(l.balance("binance", "USDT"), parseAmount("899.9"));
  assert.equal(l.balance("binance", "BTC"), parseAmount("0.01"));
  assert.equal(l.entries().length, 4);
  assert.equal(l.entries().at(-1)?.kind, "trade");
});

Deno.test("Ledger keeps average cost and realizes P&L on sells", () => {
  const l = new Ledger();
  l.deposit({ venue: "binance", asset: "USDT", amount: parseAmount("10000"), time: 0 });
  l.applyFill(fill("buy", 100_00, 100_000_000), inst); // 1 BTC at 100
  l.applyFill(fill("buy", 130_00, 200_000_000), inst); // 2 BTC at 130 -> avg 120
  const p = l.position("binance", "BTC/USDT");
  assert.equal(p.qty, 300_000_000);
  assert.equal(p.cost, parseAmount("360"));
  l.applyFill(fill("sell", 150_00, 150_000_000, "0.5", 5), inst); // sell 1.5 at 150
  assert.equal(p.realizedGross, parseAmount("45")); // 1.5 * (150 - 120)
  assert.equal(p.cost, parseAmount("180"));
  assert.equal(p.fees, parseAmount("0.5"));
  assert.equal(
    l.unrealized(p, inst, { bid: 109_00 as Ticks, ask: 111_00 as Ticks }),
    parseAmount("-15"),
  );
  l.applyFill(fill("sell", 90_00, 150_000_000, "0", 9), inst);
  assert.equal(p.qty, 0);
  assert.equal(p.realizedGross, parseAmount("0")); // +45 then 1.5 * (90 - 120) = -45
  const trips = l.roundTrips();
  assert.equal(trips.length, 1);
  assert.equal(trips[0]?.gross, 0n);
  assert.equal(trips[0]?.fees, parseAmount("0.5"));
  assert.equal(trips[0]?.cost, parseAmount("360"));
  assert.equal(trips[0]?.closeTime, 9);
  // Cash conservation: 10000 - 100 - 260 + 225 - 0.5 + 135
  assert.equal(l.balance("binance", "USDT"), parseAmount("9999.5"));
});

Deno.test("Ledger equity marks base assets to mid and quote at par", () => {
  const l = new Ledger();
  l.deposit({ venue: "binance", asset: "USDT", amount: parseAmount("1000"), time: 0 });
  l.applyFill(fill("buy", 100_00, 100_000_000), inst);
  const eq = l.equity([inst], () => ({ bid: 109_99 as Ticks, ask: 110_01 as Ticks }));
  assert.equal(eq, parseAmount("1010"));
  assert.equal(l.equity([inst], () => undefined), parseAmount("1000"));
});

Deno.test("Ledger reservations lock funds until released or spent", () => {
  const l = new Ledger();
  l.deposit({ venue: "binance", asset: "USDT", amount: parseAmount("100"), time: 0 });
  assert.equal(l.reserve("o1", "binance", "USDT", parseAmount("80")), true);
  assert.equal(l.reserve("o2", "binance", "USDT", parseAmount("30")), false);
  assert.equal(l.available("binance", "USDT"), parseAmount("20"));
  l.release("o1");
  assert.equal(l.available("binance", "USDT"), parseAmount("100"));
});
