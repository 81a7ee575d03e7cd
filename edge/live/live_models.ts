/**
 * Which model package a live paper run traded with, and from when: one row per process start
 * with a model and per hot swap (publish, `incoming/`, `reload_model`). `reconcile` replays a
 * model run with the version recorded for its window.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** A model version a run traded with from `since` (epoch ms). */
export interface LiveModel {
  readonly version: string;
  readonly since: number;
}

function ensure(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS live_models (
  id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, version TEXT NOT NULL, since INTEGER NOT NULL)`);
}

/** Records that `runId` trades with `version` from `now` on (nothing when it already does). */
export function recordLiveModel(
  db: DatabaseSync,
  runId: string,
  version: string,
  now: number,
): void {
  ensure(db);
  const last = liveModels(db, runId).at(-1);
  if (last?.version === version) return;
  db.prepare("INSERT INTO live_models (run_id, version, since) VALUES (?, ?, ?)").run(
    runId,
    version,
    now,
  );
}

/** Every model version of a run, oldest first. */
export function liveModels(db: DatabaseSync, runId: string): LiveModel[] {
  const exists = db.prepare(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'live_models'",
  ).get();
  if (!exists) return [];
  return (db.prepare("SELECT version, since FROM live_models WHERE run_id = ? ORDER BY id").all(
    runId,
  ) as Array<{ version: string; since: number }>).map((r) => ({
    version: r.version,
    since: Number(r.since),
  }));
}

/**
 * The versions a run traded with inside `[from, to)` (either end open), oldest first.
 */
export function modelsInWindow(
  models: readonly LiveModel[],
  from: number | undefined,
  to: number | undefined,
): LiveModel[] {
  return models.filter((m, i) => {
    const end = models[i + 1]?.since ?? Infinity;
    return (to === undefined || m.since < to) && (from === undefined || end > from);
  });
}
