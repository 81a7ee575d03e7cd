import assert from "node:assert/strict";
import { movePlan, rewritePaths, rewriteSpecifiers } from "./move_trading.ts";

const plan = movePlan();

Deno.test("every moved file gets one new home inside core/trading/", () => {
  assert.equal(plan.get("core/trading/engine.ts"), "core/trading/engine/engine.ts");
  assert.equal(plan.get("core/trading/money.ts"), "core/trading/orders/money.ts");
  assert.equal(new Set(plan.values()).size, plan.size);
});

Deno.test("a moved file's imports follow both it and its targets", () => {
  const text = [
    'import { Ledger } from "./ledger.ts";',
    'import type { MarketEvent } from "../market/events.ts";',
    'const doc = await Deno.readTextFile(new URL("../../config.yaml", import.meta.url));',
  ].join("\n");
  assert.equal(
    rewriteSpecifiers(text, "core/trading/engine.ts", "core/trading/engine/engine.ts", plan),
    [
      'import { Ledger } from "../ledger/ledger.ts";',
      'import type { MarketEvent } from "../../market/events.ts";',
      'const doc = await Deno.readTextFile(new URL("../../../config.yaml", import.meta.url));',
    ].join("\n"),
  );
});

Deno.test("a file that stays put is rewritten only where it imports a moved file, and twice is once", () => {
  const text = 'import { x } from "../../core/trading/risk.ts";\nimport { y } from "./y.ts";';
  const once = rewriteSpecifiers(text, "edge/trader/a.ts", "edge/trader/a.ts", plan);
  assert.equal(
    once,
    'import { x } from "../../core/trading/risk/risk.ts";\nimport { y } from "./y.ts";',
  );
  assert.equal(rewriteSpecifiers(once, "edge/trader/a.ts", "edge/trader/a.ts", plan), once);
  assert.equal(
    rewritePaths("see `core/trading/engine.ts` and core/trading/engine/engine.ts", plan),
    "see `core/trading/engine/engine.ts` and core/trading/engine/engine.ts",
  );
});
