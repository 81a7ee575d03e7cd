import { plainText } from "./plain_text.ts";

/** Symbol -> keywords (case-insensitive, whole words), from `news.keywords` in config.yaml. */
export type SymbolKeywords = Readonly<Record<string, readonly string[]>>;

/** Compiled keyword matchers, built once per configuration. */
export interface SymbolTagger {
  /** Symbols whose keywords occur in any of `texts`, in configuration order. */
  tag(...texts: (string | undefined)[]): string[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Builds a tagger: an article concerns a symbol when one of its keywords occurs as a
 * whole word (letters and digits around it do not count, so "eth" does not match
 * "method" but does match "$ETH") in the plain text of the headline or summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { symbolTagger } from "./symbol_tags.ts";
 * const t = symbolTagger({ BTC: ["bitcoin", "btc"], ETH: ["ethereum", "eth", "ether"] });
 * assert.deepEqual(t.tag("<i>Bitcoin</i> and $ETH rally", undefined), ["BTC", "ETH"]);
 * assert.deepEqual(t.tag("A new method for tethering"), []);
 * ```
 */
export function symbolTagger(keywords: SymbolKeywords): SymbolTagger {
  const matchers = Object.entries(keywords)
    .filter(([, words]) => words.length > 0)
    .map(([symbol, words]) => ({
      symbol,
      re: new RegExp(
        `(?<![\\p{L}\\p{N}])(?:${
          [...words].sort((a, b) => b.length - a.length).map((w) => escapeRegExp(w.trim())).join(
            "|",
          )
        })(?![\\p{L}\\p{N}])`,
        "iu",
      ),
    }));
  return {
    tag(...texts) {
      const text = texts.filter((t): t is string => !!t).map(plainText).join(" \n ");
      return matchers.filter((m) => m.re.test(text)).map((m) => m.symbol);
    },
  };
}
