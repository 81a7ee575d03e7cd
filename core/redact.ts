/**
 * Redaction of secrets in text that may reach a log or a terminal (error messages above all):
 * the password of any `scheme://user:password@host` URL, and the values of known secrets.
 *
 * @module
 */

/**
 * Replaces URL passwords and the given secret values in `text` with `***`.
 *
 * @param text Any text (an error message, a log line).
 * @param secrets Secret values to hide wherever they appear (empty ones are ignored). A URL
 *   secret also hides its password part alone, percent-decoded or not.
 * @returns The text without secrets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactSecrets } from "./redact.ts";
 * assert.equal(
 *   redactSecrets("Invalid URL: 'postgres://u:s3cret@bad host:1/db'"),
 *   "Invalid URL: 'postgres://u:***@bad host:1/db'",
 * );
 * assert.equal(redactSecrets("token abc123 refused", ["abc123"]), "token *** refused");
 * ```
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*):[^\s@'"]*@/gi, "$1:***@");
  const values = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    values.add(s);
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]*)@/i.exec(s);
    if (m?.[1]) {
      values.add(m[1]);
      try {
        values.add(decodeURIComponent(m[1]));
      } catch {
        // not percent-encoded text: the raw form is enough
      }
    }
  }
  // Longest first, so a secret that contains another is hidden whole; very short values
  // (under 4 characters) would blank out ordinary words and are left alone.
  for (const v of [...values].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(v).join("***");
  }
  return out;
}
