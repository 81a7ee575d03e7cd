import { execSql, runSqlFile } from "../../infra/store/testing/sql_fixture.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The bundled Binance recordings (11 minutes of BTCUSDT). */
export const RECORDINGS: readonly string[] = [
  `${ROOT}testdata/binance-spot/btcusdt_20240808.gz`,
  `${ROOT}testdata/binance-spot/btcusdt_20240809.gz`,
];

/**
 * Starts the edge's replay CLI in a separate process (web/ never imports edge/), writing into
 * the SQLite store at `path` (created and migrated by the edge).
 *
 * @param path Store file.
 * @param files Recordings to replay.
 * @returns The child process (await `.status` for completion).
 */
export function spawnReplay(
  path: string,
  files: readonly string[] = RECORDINGS,
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}edge/main.ts`, "replay", "--json", "--store", path, ...files],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * Replays the recordings into a store and waits for it.
 *
 * @throws {Error} When the replay exits non-zero (with its stderr).
 */
export async function replayIntoStore(path: string, files?: readonly string[]): Promise<void> {
  const out = await spawnReplay(path, files).output();
  if (!out.success) {
    throw new Error(`replay into ${path} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Runs a SQL fixture file (testdata/dashboard/NAME) against the store at `path`. */
export async function runSqlFixture(path: string, name = "trading_fixture.sql"): Promise<void> {
  await runSqlFile(path, `${ROOT}testdata/dashboard/${name}`);
}

export { execSql };

/** A fresh temporary directory and a store path inside it. */
export async function tempStorePath(): Promise<{ dir: string; path: string }> {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-dashboard-" });
  return { dir, path: `${dir}/store.db` };
}
