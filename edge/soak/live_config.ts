/**
 * A configuration file that points the live edge at a simulator process: the repository's
 * config.yaml with the simulator's venue URLs, a given store and registry, no news feed, and
 * the publish endpoint on the given port (0: off).
 *
 * @module
 */

import { parse, stringify } from "yaml";
import { fromFileUrl } from "../../infra/file_url.ts";
import type { SimUrls } from "./sim_process.ts";

/** Options of {@linkcode writeLiveConfig}. */
export interface LiveConfigOptions {
  /** Where to write the file. */
  readonly path: string;
  /** Simulator venue URLs. */
  readonly urls: SimUrls;
  /** SQLite store of the edge. */
  readonly storePath: string;
  /** Model registry directory. */
  readonly registryDir: string;
  /** Log directory. */
  readonly logDir: string;
  /** `trading.strategy` (default: the repository's). */
  readonly strategy?: string;
  /** `model.publish_port` (default 0: off). */
  readonly publishPort?: number;
  /** PostgreSQL schema: market data go to PostgreSQL (DATABASE_URL) instead of the SQLite file. */
  readonly pgSchema?: string;
  /** Symbols traded and harvested (default: the repository's). */
  readonly symbols?: readonly string[];
  /** `storage.retention` (default: the repository's, which keeps everything). */
  readonly retention?: {
    readonly archive_after_hours?: number;
    readonly max_store_mb?: number;
    readonly max_archive_mb?: number;
    readonly archive_dir: string;
    readonly check_interval_minutes?: number;
  };
}

/** Writes the configuration file; returns its path. */
export async function writeLiveConfig(o: LiveConfigOptions): Promise<string> {
  const base = fromFileUrl(new URL("../../config.yaml", import.meta.url));
  const doc = parse(await Deno.readTextFile(base)) as Record<string, Record<string, unknown>>;
  const exchanges = doc.exchanges as Record<string, Record<string, unknown>>;
  for (const [venue, u] of Object.entries(o.urls)) {
    if (exchanges[venue]) Object.assign(exchanges[venue], u);
  }
  doc.news!.rss_feeds = [];
  doc.storage!.sqlite_path = o.storePath;
  doc.storage!.backend = o.pgSchema ? "postgres" : "sqlite";
  if (o.pgSchema) {
    doc.storage!.postgres = {
      ...doc.storage!.postgres as object,
      schema: o.pgSchema,
      spill_dir: `${o.logDir}/spill`,
    };
  }
  if (o.retention) doc.storage!.retention = { ...o.retention };
  doc.model!.registry_dir = o.registryDir;
  doc.model!.publish_port = o.publishPort ?? 0;
  doc.logging = { ...doc.logging, dir: o.logDir };
  if (o.strategy) doc.trading!.strategy = o.strategy;
  if (o.symbols) (doc as Record<string, unknown>).symbols = [...o.symbols];
  await Deno.writeTextFile(o.path, stringify(doc));
  return o.path;
}
