import { plainText } from "./plain_text.ts";

/**
 * The normalized form of a headline used for duplicate detection: plain text,
 * Unicode NFKC, lower case, punctuation and quotes dropped, whitespace collapsed,
 * and a trailing " - Publisher" / " | Publisher" suffix removed when it names the
 * publisher (NewsAPI appends it, RSS feeds usually do not).
 *
 * @param title The headline as received (may contain HTML).
 * @param publisher The publisher's name, if known.
 * @returns The key text (hash it for storage).
 *
 * @example Same story, two feeds
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeTitle } from "./title_key.ts";
 * assert.equal(
 *   normalizeTitle("Bitcoin Tops $70K – CoinDesk", "CoinDesk"),
 *   normalizeTitle("<b>Bitcoin</b> tops $70K!", undefined),
 * );
 * ```
 */
export function normalizeTitle(title: string, publisher: string | undefined): string {
  let text = plainText(title).normalize("NFKC");
  if (publisher) {
    const pub = publisher.trim().toLowerCase();
    const m = /\s+[-|–—:]\s+([^-|–—:]{1,60})$/.exec(text);
    if (m && m[1]!.trim().toLowerCase() === pub) text = text.slice(0, m.index);
  }
  return text
    .toLowerCase()
    .replace(/[’'`´]/g, "")
    .replace(/[^\p{L}\p{N}$%.]+/gu, " ")
    .replace(/(?<!\d)\.|\.(?!\d)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
