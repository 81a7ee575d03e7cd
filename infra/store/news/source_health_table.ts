import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { SourceHealth } from "../../../core/news/source_health.ts";

/** The fields of a {@linkcode SourceHealth} and their `news_sources` columns. */
export const HEALTH_COLUMNS: readonly [keyof SourceHealth, string][] = [
  ["sourceId", "source_id"],
  ["kind", "kind"],
  ["location", "location"],
  ["lastAttemptAt", "last_attempt_at"],
  ["lastSuccessAt", "last_success_at"],
  ["lastStatus", "last_status"],
  ["lastError", "last_error"],
  ["lastWarning", "last_warning"],
  ["lastLatencyMs", "last_latency_ms"],
  ["lastItems", "last_items"],
  ["lastNew", "last_new"],
  ["consecutiveFailures", "consecutive_failures"],
  ["nextAllowedAt", "next_allowed_at"],
  ["etag", "etag"],
  ["lastModified", "last_modified"],
  ["cursorAt", "cursor_at"],
  ["attempts", "attempts"],
  ["failures", "failures"],
  ["itemsTotal", "items_total"],
  ["newTotal", "new_total"],
];

/** Reads one source's row of `news_sources`. */
export function loadHealth(db: DatabaseSync, sourceId: string): SourceHealth | undefined {
  const r = db.prepare("SELECT * FROM news_sources WHERE source_id = ?").get(sourceId);
  return r ? fromHealthRow(r as Record<string, unknown>) : undefined;
}

/** Reads every row of `news_sources`, by source id. */
export function loadAllHealth(db: DatabaseSync): SourceHealth[] {
  return db.prepare("SELECT * FROM news_sources ORDER BY source_id").all()
    .map((r) => fromHealthRow(r as Record<string, unknown>));
}

/** Inserts or replaces a source's row of `news_sources`. */
export function saveHealth(db: DatabaseSync, h: SourceHealth): void {
  const cols = HEALTH_COLUMNS.map(([, c]) => c);
  db.prepare(
    `INSERT OR REPLACE INTO news_sources (${cols.join(", ")}) VALUES (${
      cols.map(() => "?").join(", ")
    })`,
  ).run(...HEALTH_COLUMNS.map(([k]) => h[k] as SQLInputValue));
}

/** Reads a stored `news_sources` row (any backend's). */
export function fromHealthRow(r: Record<string, unknown>): SourceHealth {
  const out: Record<string, unknown> = {};
  for (const [k, c] of HEALTH_COLUMNS) out[k] = r[c] ?? null;
  return out as unknown as SourceHealth;
}
