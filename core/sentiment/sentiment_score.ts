/** One sentiment judgement of one article. */
export interface SentimentScore {
  /** -1 (very negative for the asset's price) .. +1 (very positive). */
  readonly score: number;
  /** 0 (a guess) .. 1 (certain). */
  readonly confidence: number;
  /** A short reason, for people (untrusted text when it came from a model). */
  readonly rationale: string;
  /** Which scorer produced it, e.g. "ollama:qwen3" or "lexicon:v1". */
  readonly scorer: string;
}

/** The scorer id of the built-in lexicon (bump the version when the lexicon changes). */
export const LEXICON_SCORER = "lexicon:v1";

/** The scorer id of an Ollama model. */
export function ollamaScorerId(model: string): string {
  return `ollama:${model}`;
}
