import { escapeForTerminal } from "../../core/news/plain_text.ts";
import type { HourlySentiment } from "../../core/sentiment/hourly_aggregate.ts";
import type { CycleSummary } from "./news_cycle.ts";
import type { ScoredArticle } from "../../infra/store/news/news_store.ts";
import type { OllamaStatus } from "./ollama_scorer.ts";
import type { SourceHealth } from "../../core/news/source_health.ts";

function time(ms: number): string {
  return new Date(ms).toISOString().replace(".000", "");
}

function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** Readable lines of a cycle summary (source texts are escaped for the terminal). */
export function formatCycle(s: CycleSummary): string[] {
  const lines = [
    `news cycle at ${time(s.startedAt)} (${((s.finishedAt - s.startedAt) / 1000).toFixed(1)} s)`,
  ];
  for (const o of s.sources) {
    const id = escapeForTerminal(o.id, 60).padEnd(44);
    const what = o.status === "ok" || o.status === "not_modified"
      ? `${o.items} items, ${o.inserted} new, ${o.duplicates} duplicates${
        o.invalid ? `, ${o.invalid} invalid links` : ""
      }`
      : o.status === "waiting"
      ? `resting until ${time(o.nextAllowedAt)}`
      : `${escapeForTerminal(o.error ?? "", 200)}; next try after ${time(o.nextAllowedAt)}`;
    lines.push(`  ${id} ${o.status.padEnd(13)} ${what}`);
    for (const w of o.warnings) {
      lines.push(`  ${"".padEnd(44)} warning: ${escapeForTerminal(w, 200)}`);
    }
  }
  if (s.scoring) {
    const sc = s.scoring;
    const by = Object.entries(sc.byScorer).map(([k, n]) => `${k} ${n}`).join(", ") || "nothing";
    const lat = mean(sc.llmLatencyMs);
    lines.push(
      `  scored ${sc.scored}: ${by}${sc.cached ? ` (${sc.cached} from cache)` : ""}${
        lat !== null ? `; model latency ${lat.toFixed(0)} ms/article` : ""
      }`,
    );
    if (sc.llmNote) lines.push(`  sentiment fallback: ${escapeForTerminal(sc.llmNote, 300)}`);
  }
  lines.push(
    `  new articles ${s.inserted}; hourly rows rewritten ${s.hourlyRows}; unscored ${s.pending}`,
  );
  return lines;
}

/** A cycle summary as one JSON object with snake_case keys. */
export function cycleJson(s: CycleSummary): Record<string, unknown> {
  return {
    started_at: time(s.startedAt),
    duration_ms: s.finishedAt - s.startedAt,
    sources: s.sources.map((o) => ({
      id: o.id,
      status: o.status,
      items: o.items,
      inserted: o.inserted,
      duplicates: o.duplicates,
      invalid: o.invalid,
      warnings: o.warnings,
      ...(o.error ? { error: o.error } : {}),
      next_allowed_at: time(o.nextAllowedAt),
    })),
    inserted: s.inserted,
    scoring: s.scoring
      ? {
        scored: s.scoring.scored,
        by_scorer: s.scoring.byScorer,
        cached: s.scoring.cached,
        fallbacks: s.scoring.fallbacks,
        llm: s.scoring.llm,
        llm_note: s.scoring.llmNote ?? null,
        llm_mean_latency_ms: mean(s.scoring.llmLatencyMs),
      }
      : null,
    hourly_rows: s.hourlyRows,
    pending: s.pending,
  };
}

/**
 * The `news check` report: host, models, and exactly what to run when something is missing.
 *
 * @returns Lines and whether sentiment will use the model.
 */
export function formatCheck(st: OllamaStatus, extra: { feeds: number; newsApiKey: boolean }): {
  lines: string[];
  ready: boolean;
} {
  const lines: string[] = [];
  const pull = `ollama pull ${st.model}`;
  if (!st.reachable) {
    lines.push(
      `Ollama is not reachable at ${st.host} (${escapeForTerminal(st.error ?? "", 200)}).`,
      "Install it (https://ollama.com/download), start it and pull the model:",
      "  ollama serve",
      `  ${pull}`,
      "or point news.ollama_host in config.yaml at a running host.",
    );
  } else {
    lines.push(
      `Ollama at ${st.host}: reachable${
        st.version ? ` (version ${escapeForTerminal(st.version, 40)})` : ""
      }`,
      `models: ${
        st.models.length ? st.models.map((m) => escapeForTerminal(m, 80)).join(", ") : "(none)"
      }`,
    );
    if (st.modelPresent) {
      lines.push(`configured model ${st.model}: present`);
    } else {
      lines.push(
        `configured model "${st.model}" is missing. Run:`,
        `  ${pull}`,
        ...(st.models.length
          ? [`or set news.ollama_model in config.yaml to one of: ${st.models.join(", ")}`]
          : []),
        "Smaller choices for a Raspberry Pi: gemma3:1b (fastest), gemma3:4b.",
      );
    }
  }
  const ready = st.reachable && st.modelPresent;
  lines.push(
    ready
      ? "News sentiment will use the model, with the built-in lexicon as fallback."
      : "Until then news sentiment uses the built-in lexicon (collection keeps running).",
    `sources: ${extra.feeds} RSS/Atom feed(s); NewsAPI ${
      extra.newsApiKey ? "key set" : "off (set NEWSAPI_KEY to enable)"
    }`,
  );
  return { lines, ready };
}

function signed(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(2)}`;
}

/** Lines for `news show`: latest articles (escaped), hourly rows and source health. */
export function formatShow(
  articles: readonly ScoredArticle[],
  hours: readonly HourlySentiment[],
  sources: readonly SourceHealth[] = [],
): string[] {
  const lines = ["published            score  conf scorer        symbols  headline"];
  for (const a of articles) {
    const s = a.sentiment;
    lines.push(
      `${time(a.publishedAt).slice(0, 16)}Z  ${s ? signed(s.score).padStart(5) : "    -"} ${
        s ? s.confidence.toFixed(2) : "   -"
      } ${(s?.scorer ?? "pending").padEnd(13)} ${a.symbols.join(",").padEnd(8)} ${
        escapeForTerminal(a.title, 100)
      }`,
    );
  }
  if (hours.length) {
    lines.push("", "hour (UTC)         symbol count  mean   wmean  disp  regime");
    for (const h of hours) {
      lines.push(
        `${time(h.hourStart).slice(0, 13)}:00Z  ${h.symbol.padEnd(6)} ${
          String(h.count).padStart(5)
        } ${signed(h.mean).padStart(6)} ${signed(h.weightedMean).padStart(6)} ${
          h.dispersion.toFixed(2).padStart(5)
        }  ${h.regime}`,
      );
    }
  }
  if (sources.length) {
    lines.push("", "source health");
    for (const h of sources) {
      const last = h.lastAttemptAt ? time(h.lastAttemptAt) : "never";
      lines.push(
        `  ${escapeForTerminal(h.sourceId, 70)}: ${
          h.lastStatus ?? "not tried"
        } at ${last}; ${h.attempts} attempts, ${h.failures} failed, ${h.newTotal} new articles${
          h.consecutiveFailures
            ? `; ${h.consecutiveFailures} failures in a row, next try after ${
              time(h.nextAllowedAt)
            }`
            : ""
        }`,
      );
      if (h.lastStatus === "error" || h.lastStatus === "rate_limited") {
        lines.push(`    last error: ${escapeForTerminal(h.lastError ?? "", 200)}`);
      }
      if (h.lastWarning) lines.push(`    last warning: ${escapeForTerminal(h.lastWarning, 200)}`);
    }
  }
  return lines;
}
