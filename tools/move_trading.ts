/**
 * Moves `core/trading/`'s flat files into concept sub-folders and rewrites every
 * relative import (and `new URL("…", import.meta.url)`, and `core/trading/x.ts` paths in
 * docs) across the repository. Re-runnable: files already moved are left alone, and an
 * import written against an old path (a branch merged later) is pointed at the new one.
 *
 * Usage: `deno run -A tools/move_trading.ts [--dry-run]` from the repository root, then
 * `deno fmt && deno check .`.
 *
 * @module
 */

import { dirname, join, normalize, relative } from "node:path";

/** Sub-folder of each moved file of `core/trading/` (file stem → folder). */
export const TRADING_FOLDERS: Readonly<Record<string, readonly string[]>> = {
  orders: [
    "money",
    "order",
    "order_test",
    "reservation",
    "fingerprint",
    "sizing",
    "sizing_test",
  ],
  ledger: ["balance_ledger", "position_ledger", "ledger", "ledger_test"],
  exchange: [
    "matching",
    "matching_test",
    "queue_model",
    "latency",
    "liquidity",
    "liquidity_taker",
    "resting_orders",
  ],
  risk: ["risk", "correlation", "alerts", "alerts_test", "exits"],
  books: ["book_guard", "book_runner"],
  portfolio: ["exposure", "portfolio_view", "portfolio_risk_test"],
  strategy: [
    "strategy",
    "routed_strategy",
    "routed_strategy_test",
    "baselines",
    "arbitrage",
    "arbitrage_test",
  ],
  engine: [
    "engine",
    "engine_test",
    "engine_clock",
    "engine_config",
    "engine_config_test",
    "engine_guard_test",
    "engine_risk_test",
    "engine_log",
    "engine_ports",
    "engine_state",
    "engine_state_test",
    "engine_types",
    "decide",
    "decision_log",
    "order_entry",
    "exit_orders",
    "runner_set",
    "controls",
    "controls_test",
  ],
  report: ["report", "stream_report"],
  testing: ["testing", "portfolio_testing"],
};

/** Old repository path → new repository path of every moved file. */
export function movePlan(root = "core/trading"): Map<string, string> {
  const plan = new Map<string, string>();
  for (const [folder, stems] of Object.entries(TRADING_FOLDERS)) {
    for (const stem of stems) plan.set(`${root}/${stem}.ts`, `${root}/${folder}/${stem}.ts`);
  }
  return plan;
}

const SPECIFIER =
  /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bnew URL\(\s*)(["'])(\.{1,2}\/[^"'\n]*)\2/g;

/**
 * Rewrites the relative specifiers of one file's text.
 *
 * @param text The file's text.
 * @param oldPath Where the file was when the text was written (repository path).
 * @param newPath Where the file is now.
 * @param plan Old → new path of every moved file.
 * @returns The text with each relative specifier pointing where its target now is.
 */
export function rewriteSpecifiers(
  text: string,
  oldPath: string,
  newPath: string,
  plan: ReadonlyMap<string, string>,
): string {
  return text.replace(SPECIFIER, (all, lead: string, quote: string, spec: string) => {
    const target = normalize(join(dirname(oldPath), spec));
    const moved = plan.get(target) ?? target;
    if (moved === target && oldPath === newPath) return all;
    let next = relative(dirname(newPath), moved);
    if (!next.startsWith("../")) next = `./${next}`;
    if (spec.endsWith("/") && !next.endsWith("/")) next += "/";
    return `${lead}${quote}${next}${quote}`;
  });
}

/** Replaces repository paths of moved files in prose (`core/trading/ledger.ts` → `core/trading/ledger/ledger.ts`). */
export function rewritePaths(text: string, plan: ReadonlyMap<string, string>): string {
  return text.replace(/\bcore\/trading\/([a-z0-9_]+)\.ts\b/g, (all, stem: string) => {
    return plan.get(`core/trading/${stem}.ts`) ?? all;
  });
}

const SKIP = new Set([".git", "node_modules", "dist", "data", "logs", "models", "static"]);

async function* textFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    if (SKIP.has(e.name)) continue;
    const p = dir === "." ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory) yield* textFiles(p);
    else if (/\.(ts|tsx|md|json|yaml|yml)$/.test(e.name)) yield p;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

async function main(args: string[]): Promise<void> {
  const dry = args.includes("--dry-run");
  const plan = movePlan();
  const movedNow = new Map<string, string>(); // new → old, for files moved by this run
  for (const [from, to] of plan) {
    if (!(await exists(from))) continue;
    if (await exists(to)) throw new Error(`move_trading: both ${from} and ${to} exist`);
    movedNow.set(to, from);
    if (dry) continue;
    await Deno.mkdir(dirname(to), { recursive: true });
    const out = await new Deno.Command("git", { args: ["mv", from, to] }).output();
    if (!out.success) {
      throw new Error(
        `move_trading: git mv ${from} failed: ${new TextDecoder().decode(out.stderr)}`,
      );
    }
  }
  let changed = 0;
  for await (const path of textFiles(".")) {
    if (path.startsWith("tools/move_trading")) continue; // its own old paths stay old
    const text = await Deno.readTextFile(path);
    const oldPath = movedNow.get(path) ?? path;
    let next = /\.tsx?$/.test(path) ? rewriteSpecifiers(text, oldPath, path, plan) : text;
    next = rewritePaths(next, plan);
    if (next === text) continue;
    changed++;
    if (!dry) await Deno.writeTextFile(path, next);
  }
  const flat: string[] = [];
  for await (const e of Deno.readDir("core/trading")) {
    if (e.isFile && e.name.endsWith(".ts")) flat.push(e.name);
  }
  console.log(
    `move_trading: ${movedNow.size} file(s) moved, ${changed} file(s) rewritten${
      dry ? " (dry run)" : ""
    }`,
  );
  if (flat.length > 0) {
    console.log(
      `unmapped files left in core/trading/ (add them to TRADING_FOLDERS): ${flat.join(", ")}`,
    );
    Deno.exitCode = 1;
  }
}

if (import.meta.main) await main(Deno.args);
