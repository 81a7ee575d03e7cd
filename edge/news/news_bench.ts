import { lexiconScore } from "../../core/sentiment/lexicon_scorer.ts";
import { OllamaSentiment } from "./ollama_scorer.ts";

/** Figures printed by `news bench`. */
export interface NewsBenchResult {
  /** Headlines scored by the lexicon. */
  readonly lexiconArticles: number;
  /** Lexicon throughput (articles per second, headline + summary). */
  readonly lexiconPerSecond: number;
  /** Ollama figures, when a host with the model answered. */
  readonly ollama?: {
    readonly model: string;
    readonly articles: number;
    readonly meanMs: number;
    readonly maxMs: number;
  };
  /** Why Ollama was not measured. */
  readonly ollamaSkipped?: string;
}

/**
 * Measures the lexicon scorer on `headlines` (repeated to about `lexiconRounds` articles)
 * and, when an Ollama host with the model is reachable, the model's latency per
 * article on the first `llmArticles` headlines (sequential requests).
 */
export async function benchSentiment(options: {
  headlines: readonly string[];
  summary: string;
  lexiconRounds: number;
  llm?: OllamaSentiment;
  llmArticles: number;
  now: () => number;
}): Promise<NewsBenchResult> {
  const { headlines, now } = options;
  let n = 0;
  let sink = 0;
  const t0 = now();
  while (n < options.lexiconRounds) {
    sink += lexiconScore(headlines[n % headlines.length]!, options.summary).score;
    n++;
  }
  const seconds = Math.max(1e-9, (now() - t0) / 1000);
  const result = { lexiconArticles: n, lexiconPerSecond: Number.isFinite(sink) ? n / seconds : 0 };
  if (!options.llm) return { ...result, ollamaSkipped: "disabled (--no-llm)" };
  const status = await options.llm.check();
  if (!status.reachable) return { ...result, ollamaSkipped: `no Ollama at ${status.host}` };
  if (!status.modelPresent) {
    return {
      ...result,
      ollamaSkipped: `model "${status.model}" missing (ollama pull ${status.model})`,
    };
  }
  const latencies: number[] = [];
  for (const h of headlines.slice(0, options.llmArticles)) {
    latencies.push((await options.llm.score(h)).latencyMs);
  }
  return {
    ...result,
    ollama: {
      model: status.model,
      articles: latencies.length,
      meanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
      maxMs: Math.max(0, ...latencies),
    },
  };
}
