import { plainText } from "../news/plain_text.ts";
import { HEDGES, INTENSIFIERS, NEGATORS, TERMS } from "./lexicon.ts";
import { LEXICON_SCORER, type SentimentScore } from "./sentiment_score.ts";

const MAX_PHRASE = 4;
const NEGATION_SCOPE = 3;
const NEGATION_FACTOR = -0.75;
const INTENSIFIER_SCOPE = 2;
/** Normalization constant: score = sum / sqrt(sum² + ALPHA) (as in VADER). */
const ALPHA = 15;

const VOCAB: ReadonlySet<string> = new Set([
  ...Object.keys(TERMS).flatMap((t) => t.split(" ")),
  ...Object.keys(INTENSIFIERS),
  ...NEGATORS,
  ...HEDGES,
]);

/** The base form of a word when the lexicon knows one (plural, -ed, -ing, doubled consonant). */
function baseForm(word: string): string {
  if (VOCAB.has(word)) return word;
  const candidates: string[] = [];
  if (word.endsWith("ies")) candidates.push(`${word.slice(0, -3)}y`);
  if (word.endsWith("es")) candidates.push(word.slice(0, -2));
  if (word.endsWith("s")) candidates.push(word.slice(0, -1));
  for (const suffix of ["ed", "ing"]) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    candidates.push(stem, `${stem}e`);
    if (stem.length > 2 && stem.at(-1) === stem.at(-2)) candidates.push(stem.slice(0, -1));
  }
  if (word.endsWith("ied")) candidates.push(`${word.slice(0, -3)}y`);
  if (word.endsWith("d")) candidates.push(word.slice(0, -1));
  return candidates.find((c) => VOCAB.has(c)) ?? word;
}

function isNegator(word: string): boolean {
  return NEGATORS.has(word) || word.endsWith("n't") || word.endsWith("n’t");
}

/** Lower-case words of the plain text (apostrophes and inner hyphens kept). */
export function tokenize(text: string): string[] {
  return plainText(text).toLowerCase().match(/[\p{L}\p{N}$%]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** One matched lexicon term and what modified it. */
interface Hit {
  readonly term: string;
  readonly weight: number;
}

/**
 * Scores a headline (and optional summary) with the crypto-aware lexicon: phrase
 * terms matched longest-first on stemmed words, negation flips the next three words
 * (factor -0.75), intensifiers and dampeners scale the next term, the clause after
 * "but" counts 1.5x and the one before 0.5x, and hedges ("may", "reportedly") lower
 * the confidence. No terms means a neutral score with low confidence.
 *
 * @param title Headline (HTML allowed; it is reduced to plain text).
 * @param description Optional summary, weighted half as much as the headline.
 * @returns Score in [-1, 1], confidence in [0, 0.85], a rationale listing the terms,
 *   and scorer {@linkcode LEXICON_SCORER}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lexiconScore } from "./lexicon_scorer.ts";
 * assert.ok(lexiconScore("SEC approves spot Bitcoin ETF").score > 0.3);
 * assert.ok(lexiconScore("Exchange hacked, $200M drained").score < -0.3);
 * assert.ok(lexiconScore("Bitcoin does not crash").score > 0);
 * ```
 */
export function lexiconScore(title: string, description?: string): SentimentScore {
  const head = scoreWords(tokenize(title));
  const body = description ? scoreWords(tokenize(description)) : undefined;
  const hits = [...head.hits, ...(body?.hits ?? [])];
  if (hits.length === 0) {
    return {
      score: 0,
      confidence: 0.2,
      rationale: "lexicon: no sentiment terms",
      scorer: LEXICON_SCORER,
    };
  }
  const sum = head.sum + (body ? body.sum * 0.5 : 0);
  const abs = head.abs + (body ? body.abs * 0.5 : 0);
  const score = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + ALPHA)));
  const agreement = abs > 0 ? Math.abs(sum) / abs : 0;
  const hedged = head.hedged || (body?.hedged ?? false);
  const base = Math.min(0.8, 0.35 + 0.15 * Math.min(hits.length, 3));
  const confidence = Math.min(0.85, base * (0.5 + 0.5 * agreement) * (hedged ? 0.8 : 1));
  const terms = hits.slice(0, 5).map((h) =>
    `${h.weight >= 0 ? "+" : ""}${h.weight.toFixed(1)} ${h.term}`
  );
  return {
    score: round4(score),
    confidence: round4(confidence),
    rationale: `lexicon: ${terms.join(", ")}${hits.length > 5 ? ", ..." : ""}${
      hedged ? " (hedged)" : ""
    }`,
    scorer: LEXICON_SCORER,
  };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function scoreWords(raw: readonly string[]): {
  sum: number;
  abs: number;
  hits: Hit[];
  hedged: boolean;
} {
  const words = raw.map(baseForm);
  const hits: Hit[] = [];
  let sum = 0;
  let abs = 0;
  let hedged = false;
  let negateUntil = -1;
  let multiplier = 1;
  let multiplierUntil = -1;
  const butAt = words.lastIndexOf("but");
  for (let i = 0; i < words.length;) {
    const word = words[i]!;
    if (HEDGES.has(word)) hedged = true;
    if (isNegator(word)) {
      negateUntil = i + NEGATION_SCOPE;
      i++;
      continue;
    }
    let matched = 0;
    let weight = 0;
    for (let n = Math.min(MAX_PHRASE, words.length - i); n >= 1; n--) {
      const w = TERMS[words.slice(i, i + n).join(" ")];
      if (w !== undefined) {
        matched = n;
        weight = w;
        break;
      }
    }
    if (matched === 0) {
      const m = INTENSIFIERS[word];
      if (m !== undefined) {
        multiplier = m;
        multiplierUntil = i + INTENSIFIER_SCOPE;
      }
      i++;
      continue;
    }
    const term = words.slice(i, i + matched).join(" ");
    if (i <= multiplierUntil) weight *= multiplier;
    const negated = i <= negateUntil;
    if (negated) weight *= NEGATION_FACTOR;
    if (butAt >= 0) weight *= i < butAt ? 0.5 : 1.5;
    sum += weight;
    abs += Math.abs(weight);
    hits.push({ term: negated ? `not ${term}` : term, weight });
    multiplierUntil = -1;
    i += matched;
  }
  return { sum, abs, hits, hedged };
}
