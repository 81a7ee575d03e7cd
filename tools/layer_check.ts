/**
 * The layer check, run by `deno task ok`: reads every `.ts`/`.tsx` file of the tree and
 * fails with one line per broken rule:
 *
 * - direction: `core/` imports nothing outside `core/`; `infra/` imports only `core/`;
 *   `edge/`, `trainer/`, `web/` import `core/` and `infra/` but never each other; nothing
 *   imports `tools/`.
 * - cycles: sibling folders never import each other in a circle, checked between the
 *   top-level folders and between the sub-folders of every folder of `core/`.
 * - cli: inside a runtime, only `cli/` itself and the runtime's root files (its entry
 *   points) import the runtime's `cli/` folder.
 * - tables: a table name of the store's migrations (`*migrations.ts`, `.sql` migrations) is
 *   written in a string only inside `infra/store/` (tests excepted).
 *
 * `--no-<rule>` turns a rule off: its violations are still counted and shown as pending
 * but do not fail the run. On success it prints a short summary (folders, edges,
 * pending violations).
 *
 * Usage: `deno run -A tools/layer_check.ts [--root DIR] [--no-tables] [--no-cli]`
 *
 * @module
 */

import { scanSource } from "./layer_scan.ts";
import {
  cliViolations,
  cycleViolations,
  directionViolations,
  type Edge,
  edgesOf,
  folderGraph,
  type RuleName,
  type SourceFile,
  STORE_DIR,
  tableNames,
  tableViolations,
  type Violation,
} from "./layer_rules.ts";

const RULES: readonly RuleName[] = ["direction", "cycles", "cli", "tables"];
const SKIP = new Set([".git", "node_modules", "dist", "data", "logs", "testdata"]);

/** What {@linkcode checkTree} found. */
export interface LayerReport {
  /** Files read. */
  readonly files: number;
  /** Resolved relative imports. */
  readonly edges: readonly Edge[];
  /** Table names found in the migrations. */
  readonly tables: readonly string[];
  /** Folder scopes checked for cycles, with their folder count and edge count. */
  readonly scopes: readonly { scope: string; folders: number; edges: number; levels: string[][] }[];
  /** Violations of the rules that are on: the run fails when there is any. */
  readonly violations: readonly Violation[];
  /** Violations of the rules that are off (shown, not failing). */
  readonly pending: readonly Violation[];
}

/**
 * Reads every source file under `root` (skipping build output, data, fixtures and
 * `web/static/`), and SQL migration files (`.sql` with "migration" in the path) as one string.
 */
export async function readTree(root: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    const dir = rel === "" ? root : `${root}/${rel}`;
    const entries: Deno.DirEntry[] = [];
    for await (const e of Deno.readDir(dir)) entries.push(e);
    entries.sort((a, b) => a.name < b.name ? -1 : 1);
    for (const e of entries) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory) {
        if (!SKIP.has(e.name) && p !== "web/static") await walk(p);
      } else if (e.isFile && /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts")) {
        out.push({ path: p, scan: scanSource(await Deno.readTextFile(`${root}/${p}`)) });
      } else if (e.isFile && e.name.endsWith(".sql") && p.includes("migration")) {
        const text = await Deno.readTextFile(`${root}/${p}`);
        out.push({ path: p, scan: { imports: [], strings: [{ text, line: 1 }] } });
      }
    }
  };
  await walk("");
  return out;
}

/** Child folders (holding source files) of the root and of every folder of `core/`. */
function childFolders(files: readonly SourceFile[]): Map<string, Set<string>> {
  const children = new Map<string, Set<string>>();
  for (const f of files) {
    const parts = f.path.split("/");
    for (let k = 1; k < parts.length; k++) {
      const parent = k === 1 ? "." : parts.slice(0, k - 1).join("/");
      if (parent !== "." && parent !== "core" && !parent.startsWith("core/")) continue;
      let s = children.get(parent);
      if (!s) children.set(parent, s = new Set());
      s.add(parts.slice(0, k).join("/"));
    }
  }
  return children;
}

/** Folders by level: a folder's level is one above the highest folder it imports. */
function levels(folders: Iterable<string>, deps: Map<string, Map<string, Edge>>): string[][] {
  const level = new Map<string, number>();
  const of = (f: string, seen: Set<string>): number => {
    const known = level.get(f);
    if (known !== undefined) return known;
    if (seen.has(f)) return 0; // a cycle: reported by the cycle rule
    seen.add(f);
    let l = 0;
    for (const d of deps.get(f)?.keys() ?? []) l = Math.max(l, of(d, seen) + 1);
    level.set(f, l);
    return l;
  };
  const out: string[][] = [];
  for (const f of [...folders].sort()) (out[of(f, new Set())] ??= []).push(f.split("/").pop()!);
  return out.filter((x) => x !== undefined);
}

/**
 * Checks the tree under `root`.
 *
 * @param off Rules whose violations are pending instead of failing.
 */
export async function checkTree(
  root: string,
  off: ReadonlySet<RuleName> = new Set(),
): Promise<LayerReport> {
  const files = await readTree(root);
  const edges = edgesOf(files);
  const tables = tableNames(files);
  const found: Violation[] = [...directionViolations(edges), ...cliViolations(edges)];
  const scopes = [];
  for (const [scope, folders] of [...childFolders(files)].sort()) {
    if (folders.size < 2) continue;
    const g = folderGraph(scope, edges);
    const n = [...g.deps.values()].reduce((s, m) => s + m.size, 0);
    scopes.push({ scope, folders: folders.size, edges: n, levels: levels(folders, g.deps) });
    found.push(...cycleViolations(g));
  }
  found.push(...tableViolations(files, tables, STORE_DIR));
  return {
    files: files.length,
    edges,
    tables,
    scopes,
    violations: found.filter((v) => !off.has(v.rule)),
    pending: found.filter((v) => off.has(v.rule)),
  };
}

/** The summary printed when the check passes. */
export function summary(r: LayerReport, off: ReadonlySet<RuleName>): string {
  const layers = new Map<string, number>();
  for (const e of r.edges) {
    const [a, b] = [e.from.split("/")[0], e.to.split("/")[0]];
    if (a !== b) layers.set(`${a} → ${b}`, (layers.get(`${a} → ${b}`) ?? 0) + 1);
  }
  const lines = [
    `layer_check: ok — ${r.files} files, ${r.edges.length} relative imports, ${r.tables.length} table names`,
    `  layer edges: ${[...layers].sort().map(([k, n]) => `${k} ${n}`).join(", ")}`,
    ...r.scopes.map((s) =>
      `  ${
        s.scope === "." ? "root" : `${s.scope}/`
      }: ${s.folders} folders, ${s.edges} folder edges, no cycle; levels ${
        s.levels.map((l) => l.join(" ")).join(" < ")
      }`
    ),
  ];
  for (const rule of RULES) {
    const pending = r.pending.filter((v) => v.rule === rule);
    lines.push(
      off.has(rule)
        ? `  ${rule}: OFF (--no-${rule}), ${pending.length} pending violation(s)${
          pending.slice(0, 3).map((v) => `\n    pending: ${v.where} ${v.message}`).join("")
        }`
        : `  ${rule}: ok`,
    );
  }
  return lines.join("\n");
}

async function main(args: readonly string[]): Promise<number> {
  let root = ".";
  const off = new Set<RuleName>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const rule = a.startsWith("--no-") ? a.slice(5) as RuleName : undefined;
    if (rule !== undefined && RULES.includes(rule)) off.add(rule);
    else if (a === "--root" && args[i + 1] !== undefined) root = args[++i] as string;
    else {
      console.error(
        `layer_check: unknown argument "${a}"; usage: layer_check.ts [--root DIR] ${
          RULES.map((r) => `[--no-${r}]`).join(" ")
        }`,
      );
      return 2;
    }
  }
  const r = await checkTree(root, off);
  if (r.violations.length === 0) {
    console.log(summary(r, off));
    return 0;
  }
  for (const v of r.violations) console.error(`layer_check: ${v.rule}: ${v.where} ${v.message}`);
  console.error(
    `layer_check: ${r.violations.length} violation(s) of the layer rules (see README "Layers")`,
  );
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
