import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import { makeInstrument } from "../../market/instrument.ts";
import { parseAmount } from "./money.ts";
import { type OrderRequest, validateOrder } from "./order.ts";

const inst = makeInstrument({
  venue: "binance",
  symbol: "BTC/USDT",
  priceDecimals: 2,
  sizeDecimals: 8,
  lotSize: 1000,
  tickSize: 5,
});
const rules = { minNotional: parseAmount("5"), maxNotional: parseAmount("100000") };
const ok: OrderRequest = {
  venue: "binance",
  symbol: "BTC/USDT",
  side: "buy",
  type: "limit",
  price: 10000 as Ticks,
  size: 10_000_000 as Lots,
};
type Patch = { [K in keyof OrderRequest]?: OrderRequest[K] | undefined };
const check = (req: Patch, refPrice?: number) =>
  validateOrder({ ...ok, ...req } as OrderRequest, {
    inst,
    rules,
    refPrice: refPrice as Ticks | undefined,
  });

Deno.test("validateOrder accepts a well-formed limit order", () => {
  assert.deepEqual(check({}), { ok: true });
});

Deno.test("validateOrder rejects NaN, non-integer, off-step and out-of-range inputs with reasons", () => {
  const cases: [Patch, string, RegExp][] = [
    [{ size: NaN as Lots }, "size", /got NaN/],
    [{ size: -1000 as Lots }, "size", /positive integer/],
    [{ size: 1.5 as Lots }, "size", /positive integer/],
    [{ size: 1500 as Lots }, "lot_step", /multiple of the lot size 1000/],
    [{ price: NaN as Ticks }, "price", /got NaN/],
    [{ price: 10001 as Ticks }, "tick_step", /multiple of the tick size 5/],
    [{ price: undefined }, "price", /limit price/],
    [{ size: 1000 as Lots }, "min_notional", /below the minimum/],
    [{ size: 200_000_000_000 as Lots }, "max_notional", /above the maximum/],
    [{ side: "short" as never }, "side", /buy or sell/],
    [{ type: "stop" as never }, "type", /market or limit/],
    [{ tif: "FOK" as never }, "tif", /GTC, IOC or POST_ONLY/],
    [{ symbol: "ETH/USDT" }, "instrument", /book is binance BTC\/USDT/],
  ];
  for (const [req, code, reason] of cases) {
    const r = check(req);
    assert.equal(r.ok, false, JSON.stringify(req));
    assert.equal(!r.ok && r.code, code, JSON.stringify(req));
    assert.match(!r.ok ? r.reason : "", reason);
  }
});

Deno.test("validateOrder checks market orders against the touch", () => {
  assert.deepEqual(check({ type: "market", price: undefined }, 10000), { ok: true });
  const noTouch = check({ type: "market", price: undefined });
  assert.equal(!noTouch.ok && noTouch.code, "no_price");
  const priced = check({ type: "market" }, 10000);
  assert.equal(!priced.ok && priced.code, "price");
  const gtc = check({ type: "market", price: undefined, tif: "POST_ONLY" }, 10000);
  assert.equal(!gtc.ok && gtc.code, "tif");
});
