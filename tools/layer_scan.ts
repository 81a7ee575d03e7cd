/**
 * A small TypeScript scanner for the layer check: the module specifiers a file imports
 * (static `import`/`export … from`, side-effect `import "x"`, dynamic `import("x")`)
 * and its string literals (quoted strings and the literal parts of templates), each
 * with its line. Comments are skipped, so an import in a JSDoc example is not counted.
 *
 * @module
 */

/** One module specifier a file imports. */
export interface ImportRef {
  /** The specifier as written. */
  readonly specifier: string;
  /** 1-based line. */
  readonly line: number;
}

/** One string literal (a template's literal parts joined by `${}`). */
export interface StringRef {
  /** The literal's text (escapes are kept as written). */
  readonly text: string;
  /** 1-based line where it starts. */
  readonly line: number;
}

/** What {@linkcode scanSource} found. */
export interface Scan {
  /** Imported specifiers, in order. */
  readonly imports: ImportRef[];
  /** Other string literals, in order. */
  readonly strings: StringRef[];
}

const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "instanceof",
  "yield",
  "await",
]);

type Token =
  | { kind: "word"; text: string }
  | { kind: "punct"; text: string }
  | { kind: "string"; text: string; line: number; template: boolean };

/**
 * Scans TypeScript (or TSX) source text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanSource } from "./layer_scan.ts";
 *
 * const s = scanSource('// import "./no.ts"\nimport { a } from "./a.ts";\nconst q = "SELECT 1";');
 * assert.deepEqual(s.imports, [{ specifier: "./a.ts", line: 2 }]);
 * assert.deepEqual(s.strings, [{ text: "SELECT 1", line: 3 }]);
 * ```
 */
export function scanSource(src: string): Scan {
  const imports: ImportRef[] = [];
  const strings: StringRef[] = [];
  const recent: Token[] = []; // the last three significant tokens
  let line = 1;
  let i = 0;
  const braces: number[] = []; // open `{` counts of each template expression we are inside
  const push = (t: Token): void => {
    if (t.kind === "string") {
      const [a, b] = [recent[recent.length - 1], recent[recent.length - 2]];
      const isImport = !t.template && (
        (a?.kind === "word" && (a.text === "from" || a.text === "import")) ||
        (a?.kind === "punct" && a.text === "(" && b?.kind === "word" && b.text === "import")
      );
      if (isImport) imports.push({ specifier: t.text, line: t.line });
      else strings.push({ text: t.text, line: t.line });
    }
    recent.push(t);
    if (recent.length > 3) recent.shift();
  };
  const regexAllowed = (): boolean => {
    const last = recent[recent.length - 1];
    if (last === undefined) return true;
    if (last.kind === "string") return false;
    if (last.kind === "word") return REGEX_AFTER_WORD.has(last.text);
    return !(last.text === ")" || last.text === "]" || last.text === "}");
  };
  // Reads a template's literal text from `i` (just after "`" or "}") up to "`" or "${".
  const readTemplate = (startLine: number, prefix: string): void => {
    let text = prefix;
    while (i < src.length) {
      const c = src[i] as string;
      if (c === "\\") {
        text += src.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === "`") {
        i++;
        push({ kind: "string", text, line: startLine, template: true });
        return;
      }
      if (c === "$" && src[i + 1] === "{") {
        i += 2;
        braces.push(0);
        recentTemplate = { text: `${text}\${}`, line: startLine };
        return;
      }
      if (c === "\n") line++;
      text += c;
      i++;
    }
  };
  let recentTemplate: { text: string; line: number } | undefined;
  const templates: { text: string; line: number }[] = [];
  while (i < src.length) {
    const c = src[i] as string;
    const n = src[i + 1];
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "/" && n === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && n === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === "\n") line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = "";
      while (j < src.length && src[j] !== c && src[j] !== "\n") {
        if (src[j] === "\\") {
          text += src.slice(j, j + 2);
          j += 2;
        } else text += src[j++];
      }
      push({ kind: "string", text, line, template: false });
      i = j + 1;
    } else if (c === "`") {
      i++;
      recentTemplate = undefined;
      readTemplate(line, "");
      if (recentTemplate) templates.push(recentTemplate);
    } else if (c === "{" && braces.length > 0) {
      braces[braces.length - 1]!++;
      push({ kind: "punct", text: c });
      i++;
    } else if (c === "}" && braces.length > 0 && braces[braces.length - 1] === 0) {
      braces.pop();
      i++;
      const open = templates.pop() as { text: string; line: number };
      recentTemplate = undefined;
      readTemplate(open.line, open.text);
      if (recentTemplate) templates.push(recentTemplate);
    } else if (c === "}" && braces.length > 0) {
      braces[braces.length - 1]!--;
      push({ kind: "punct", text: c });
      i++;
    } else if (c === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== "\n") {
        const d = src[j];
        if (d === "\\") j++;
        else if (d === "[") inClass = true;
        else if (d === "]") inClass = false;
        else if (d === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < src.length && /[a-z]/.test(src[j] as string)) j++;
      push({ kind: "punct", text: ")" }); // a regex is a value: a following "/" divides
      i = j;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_$]/.test(src[j] as string)) j++;
      push({ kind: "word", text: src.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[0-9A-Za-z_.]/.test(src[j] as string)) j++;
      push({ kind: "word", text: "0" });
      i = j;
    } else {
      push({ kind: "punct", text: c });
      i++;
    }
  }
  return { imports, strings };
}
