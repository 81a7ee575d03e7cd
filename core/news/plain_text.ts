/**
 * Text helpers for untrusted headlines: plain text for matching and hashing, and
 * escaping for display. Headlines are stored as received; these functions never
 * change what is stored.
 *
 * @module
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  hellip: "…",
  euro: "€",
  pound: "£",
  yen: "¥",
  copy: "©",
  reg: "®",
  trade: "™",
};

/** Decodes HTML character references (named subset, decimal, hex); unknown ones stay as they are. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X"
        ? parseInt(ref.slice(2), 16)
        : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/**
 * Turns possibly-HTML text into one line of plain text: drops tags, scripts and
 * comments, decodes character references, removes control characters and collapses
 * whitespace.
 *
 * @example Plain text of an HTML headline
 * ```ts
 * import assert from "node:assert/strict";
 * import { plainText } from "./plain_text.ts";
 * assert.equal(plainText("<b>Bitcoin</b> &amp; Ether\n rally"), "Bitcoin & Ether rally");
 * ```
 */
export function plainText(text: string): string {
  return decodeEntities(
    text
      .replace(/<!--[\s\S]*?-->/g, " ")
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
      .replace(/<\/?[a-z][^<>]*>/gi, " "),
  )
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .replace(/ ([.,;:!?])(?=\s|$)/g, "$1")
    .trim();
}

/**
 * Escapes text for HTML (element content and quoted attributes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./plain_text.ts";
 * assert.equal(escapeHtml(`<img src=x onerror="a">`), "&lt;img src=x onerror=&quot;a&quot;&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Makes untrusted text safe for a terminal line: control characters (including ESC,
 * so no ANSI sequences) and bidi overrides become visible `\xNN` / `\u{NNNN}` escapes,
 * and the result is cut to `max` characters with an ellipsis.
 */
export function escapeForTerminal(text: string, max = 160): string {
  const escaped = text.replace(
    // deno-lint-ignore no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : `\\u{${code.toString(16)}}`;
    },
  );
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}
