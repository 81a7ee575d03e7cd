import { currentLiveRun, liveSessions } from "../../infra/store/live/live_runs.ts";
import { reconcile, type ReconcileReport, ReconcileUnsupportedError } from "../live/reconcile.ts";
import { openStore } from "../../infra/store/open_store.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { parseFlags } from "../../infra/cli/flags.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";

const USAGE = "usage: deno task reconcile [--config PATH] [--store PATH] [--run ID] " +
  "[--from T] [--to T] [--json]   (T: ISO time or epoch ms)";

/**
 * `reconcile`: replays a live paper run's stored window through the backtest engine and shows
 * where the live fills and the replay's differ, fill by fill, with the likely cause
 * (edge/live/reconcile.ts). Reads the store only (safe while `start` runs).
 *
 * @returns Exit code: 0 when every fill matches, 1 when some differ, 2 on bad usage.
 */
export async function reconcileCommand(args: string[], out: Output): Promise<number> {
  const { values } = parseFlags(args, {
    usage: USAGE,
    options: {
      config: { type: "string", default: "config.yaml" },
      store: { type: "string" },
      run: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const time = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(t)) throw new UsageError(`--${name}: not a time: ${v}\n${USAGE}`);
    return t;
  };
  const fromTime = time(values.from, "from");
  const toTime = time(values.to, "to");
  const { config: loaded, secrets } = await loadConfig(values.config);
  const config = values.store
    ? { ...loaded, storage: { ...loaded.storage, sqlite_path: values.store } }
    : loaded;
  const state = await SqliteStore.open(config.storage.sqlite_path, { migrate: false });
  const market = config.storage.backend === "sqlite"
    ? state
    : await openStore(config, secrets, { migrate: false });
  try {
    const runId = values.run ?? currentRun(state);
    const report = await reconcile({
      config,
      market,
      db: state.db,
      runId,
      ...(fromTime !== undefined ? { fromTime } : {}),
      ...(toTime !== undefined ? { toTime } : {}),
    });
    if (values.json) out.stdout(JSON.stringify(report));
    else {for (const line of formatReconcile(report, liveSessions(state.db, runId).length)) {
        out.stdout(line);
      }}
    return report.diffs.length === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof ReconcileUnsupportedError) throw new UsageError(e.message);
    throw e;
  } finally {
    if (market !== state) await market.close();
    await state.close();
  }
}

function currentRun(store: SqliteStore): string {
  const runId = currentLiveRun(store.db);
  if (runId !== undefined) return runId;
  throw new UsageError(`the store has no live run; name one with --run ID\n${USAGE}`);
}

/** The human report. */
export function formatReconcile(r: ReconcileReport, sessions: number): string[] {
  const iso = (t: number) => new Date(t).toISOString();
  const fill = (
    f: { time: number; side: string; price: number; size: number; liquidity: string },
  ) => `${iso(f.time)} ${f.side} ${f.size} @ ${f.price} ${f.liquidity}`;
  return [
    `Reconcile ${r.runId} (${r.strategy}${
      r.modelVersion ? ` ${r.modelVersion}` : ""
    }, ${sessions} process sessions): ${r.events} stored events replayed`,
    `  live fills ${r.liveFills}, replay fills ${r.replayFills}, identical ${r.same}, differing ${r.diffs.length}`,
    ...r.diffs.map((d) =>
      d.kind === "differs"
        ? `  differs (${d.cause}): live ${fill(d.live!)} | replay ${fill(d.replay!)}`
        : d.kind === "live_only"
        ? `  live only (${d.cause}): ${fill(d.live!)}`
        : `  replay only (${d.cause}): ${fill(d.replay!)}`
    ),
  ];
}
