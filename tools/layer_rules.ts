/**
 * The layer rules over a scanned source tree: import direction between the layers,
 * cycles between sibling folders, upward imports into a runtime's `cli/` folder, and
 * raw table names outside the persistence layer. Pure: the caller reads the files.
 *
 * @module
 */

import { dirname, join, normalize } from "node:path";
import type { Scan } from "./layer_scan.ts";

/** Rule names, as `--no-<rule>` turns them off. */
export type RuleName = "direction" | "cycles" | "cli" | "tables";

/** One broken rule, with where. */
export interface Violation {
  /** The rule. */
  readonly rule: RuleName;
  /** Repository path and line (`core/a.ts:3`), or the folders of a cycle. */
  readonly where: string;
  /** What is wrong, in words. */
  readonly message: string;
}

/** One file: its repository path (with `/`) and what the scanner found. */
export interface SourceFile {
  /** Repository-relative path. */
  readonly path: string;
  /** Its imports and strings. */
  readonly scan: Scan;
}

/** One resolved import between two files of the tree. */
export interface Edge {
  /** Importing file. */
  readonly from: string;
  /** Imported file (repository path; it may not exist). */
  readonly to: string;
  /** Line of the import. */
  readonly line: number;
}

/** Which top-level folders each layer may import (its own always included). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: ["core"],
  infra: ["core", "infra"],
  edge: ["core", "infra", "edge"],
  trainer: ["core", "infra", "trainer"],
  web: ["core", "infra", "web"],
};

/** Runtimes whose `cli/` folder only their root files (entry points) may import. */
export const RUNTIMES: readonly string[] = ["edge", "trainer", "web"];

/** The persistence layer: the only place table names may be written. */
export const STORE_DIR = "infra/store";

/** Resolves the relative imports of every file to repository paths. */
export function edgesOf(files: readonly SourceFile[]): Edge[] {
  const out: Edge[] = [];
  for (const f of files) {
    for (const imp of f.scan.imports) {
      if (!imp.specifier.startsWith("./") && !imp.specifier.startsWith("../")) continue;
      const to = normalize(join(dirname(f.path), imp.specifier.replace(/[?#].*$/, "")));
      if (to.startsWith("../")) continue;
      out.push({ from: f.path, to, line: imp.line });
    }
  }
  return out;
}

const top = (p: string): string => p.split("/")[0] as string;
const isTest = (p: string): boolean => /_test\.tsx?$/.test(p);

/** Imports that cross layers the wrong way (core → edge, edge → web, anything → tools …). */
export function directionViolations(edges: readonly Edge[]): Violation[] {
  const out: Violation[] = [];
  for (const e of edges) {
    const [a, b] = [top(e.from), top(e.to)];
    if (a === b || a === "tools") continue;
    const allowed = ALLOWED[a];
    if (b === "tools" || (allowed !== undefined && !allowed.includes(b))) {
      out.push({
        rule: "direction",
        where: `${e.from}:${e.line}`,
        message: `imports ${e.to}: ${a}/ may import only ${
          (allowed ?? [a]).map((x) => `${x}/`).join(", ")
        }${b === "tools" ? " (nothing imports tools/)" : ""}`,
      });
    }
  }
  return out;
}

/**
 * Imports of `R/cli/` from a sub-folder of runtime `R` other than `cli/` (its root files may;
 * tests may drive a command).
 */
export function cliViolations(edges: readonly Edge[]): Violation[] {
  const out: Violation[] = [];
  for (const e of edges) {
    const r = top(e.from);
    if (!RUNTIMES.includes(r) || !e.to.startsWith(`${r}/cli/`) || isTest(e.from)) continue;
    const rest = e.from.slice(r.length + 1);
    if (!rest.includes("/") || rest.startsWith("cli/")) continue;
    out.push({
      rule: "cli",
      where: `${e.from}:${e.line}`,
      message: `imports ${e.to}: only ${r}/cli/ and ${r}/'s entry files may import ${r}/cli/`,
    });
  }
  return out;
}

/** The folder graph of one scope: sibling folders and the imports between them. */
export interface FolderGraph {
  /** The parent folder ("." for the repository root). */
  readonly scope: string;
  /** Child folder → child folders it imports, with one example import each. */
  readonly deps: Map<string, Map<string, Edge>>;
}

/**
 * Builds the graph between the child folders of `scope`: a file under child A importing
 * a file under child B gives A → B. Tests (`*_test.ts`) are left out: a test may reach
 * across its folder's siblings. Files directly in `scope` are not nodes.
 */
export function folderGraph(scope: string, edges: readonly Edge[]): FolderGraph {
  const prefix = scope === "." ? "" : `${scope}/`;
  const child = (p: string): string | undefined => {
    if (!p.startsWith(prefix)) return undefined;
    const parts = p.slice(prefix.length).split("/");
    return parts.length > 1 ? `${prefix}${parts[0]}` : undefined;
  };
  const deps = new Map<string, Map<string, Edge>>();
  for (const e of edges) {
    if (isTest(e.from)) continue;
    const [a, b] = [child(e.from), child(e.to)];
    if (a === undefined || b === undefined || a === b) continue;
    let m = deps.get(a);
    if (!m) deps.set(a, m = new Map());
    if (!m.has(b)) m.set(b, e);
  }
  return { scope, deps };
}

/** Every folder cycle in `g` (one per strongly connected group of two or more folders). */
export function cycleViolations(g: FolderGraph): Violation[] {
  const out: Violation[] = [];
  for (const group of strongGroups(g.deps)) {
    if (group.length < 2) continue;
    const inGroup = new Set(group);
    const links: string[] = [];
    for (const a of group) {
      for (const [b, e] of g.deps.get(a) ?? []) {
        if (inGroup.has(b)) links.push(`${a} → ${b} (${e.from}:${e.line} imports ${e.to})`);
      }
    }
    out.push({
      rule: "cycles",
      where: group.join(" ↔ "),
      message: `folders import each other: ${links.join("; ")}`,
    });
  }
  return out;
}

function strongGroups(deps: Map<string, Map<string, Edge>>): string[][] {
  const nodes = new Set<string>(deps.keys());
  for (const m of deps.values()) for (const b of m.keys()) nodes.add(b);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of deps.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      groups.push(group.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return groups;
}

/**
 * Table names declared by `CREATE TABLE` / `CREATE VIEW` in migration sources
 * (files named `*migrations.ts`, and `.sql` files with "migration" in their path).
 */
export function tableNames(files: readonly SourceFile[]): string[] {
  const names = new Set<string>();
  const re =
    /\bcreate\s+(?:table|(?:materialized\s+)?view)\s+(?:if\s+not\s+exists\s+)?["`]?([a-z_][a-z0-9_]*)/gi;
  for (const f of files) {
    if (!/migrations\.ts$/.test(f.path) && !/migration.*\.sql$/.test(f.path)) continue;
    for (const s of f.scan.strings) {
      for (const m of s.text.matchAll(re)) names.add((m[1] as string).toLowerCase());
    }
  }
  return [...names].sort();
}

/** The SQL words a table name follows. */
const SQL_BEFORE_TABLE = /\b(?:from|into|join|update|table|exists|view)\s+/;
/** A statement verb: a plain-word table (`trades`) counts only in a string that has one. */
const SQL_STATEMENT = /\b(?:select|insert|delete|create|alter|drop|upsert)\b/i;

/**
 * SQL naming a table outside the persistence layer (`STORE_DIR`) and outside tests: a table
 * name right after `FROM`, `INTO`, `JOIN`, `UPDATE`, `TABLE`, `EXISTS` or `VIEW` in a string
 * (quoted or not); a table that is also a plain word (`trades`, `ohlcv`) only where the
 * string also has a statement verb (`SELECT`, `INSERT`, ...). Prose that mentions a table (a
 * usage text) is not SQL and does not count; a string that is exactly a table name with an
 * underscore (`"news_articles"`, ready for a dynamic statement) does.
 */
export function tableViolations(
  files: readonly SourceFile[],
  tables: readonly string[],
  storeDir: string = STORE_DIR,
): Violation[] {
  const out: Violation[] = [];
  const patterns = tables.map((t) => ({
    t,
    re: new RegExp(`${SQL_BEFORE_TABLE.source}["'\`]?${t}(?![A-Za-z0-9_])`, "i"),
    distinctive: t.includes("_"),
  }));
  for (const f of files) {
    if (f.path.startsWith(`${storeDir}/`) || isTest(f.path) || f.path.endsWith(".sql")) continue;
    for (const s of f.scan.strings) {
      const hit = patterns.find((p) =>
        (p.distinctive && s.text.trim() === p.t) ||
        (p.re.test(s.text) && (p.distinctive || SQL_STATEMENT.test(s.text)))
      );
      if (hit === undefined) continue;
      out.push({
        rule: "tables",
        where: `${f.path}:${s.line}`,
        message:
          `table name "${hit.t}" in a string outside ${storeDir}/: go through the store's repositories`,
      });
    }
  }
  return out;
}
