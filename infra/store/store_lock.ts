/**
 * One writer per store: an exclusive advisory lock (`flock`) on `<store>.lock`, taken when a
 * writer opens a SQLite store and held until the last handle of this process closes it. The
 * file holds the holder's pid, command and start time, so a refused second writer is told who
 * holds it. The kernel drops the lock when the holder dies (SIGKILL, power loss), so a stale
 * lock file left by a dead process is simply taken over.
 *
 * @module
 */

/** A second process tried to open a store that another process writes. */
export class StoreLockedError extends Error {
  /** The store file. */
  readonly path: string;
  /** Pid of the process holding the lock (undefined when the lock file is unreadable). */
  readonly holderPid: number | undefined;
  /**
   * @param path The store file.
   * @param holder What the lock file says about the holder.
   */
  constructor(path: string, holder: LockHolder | undefined) {
    super(
      `store ${path} is already open for writing by pid ${holder?.pid ?? "(unknown)"}${
        holder?.command ? ` (${holder.command}` + `, since ${holder.since})` : ""
      }: one writer per store; stop that process or use another storage.sqlite_path`,
    );
    this.name = "StoreLockedError";
    this.path = path;
    this.holderPid = holder?.pid;
  }
}

/** What a lock file records. */
export interface LockHolder {
  /** Process id. */
  readonly pid: number;
  /** Command line of the holder. */
  readonly command: string;
  /** When it took the lock (ISO time). */
  readonly since: string;
}

/** A held store lock; {@linkcode StoreLock.release} once per {@linkcode acquireStoreLock}. */
export interface StoreLock {
  /** The lock file. */
  readonly file: string;
  /** Releases this handle (the lock itself goes when the process's last handle is released). */
  release(): void;
}

interface Held {
  file: Deno.FsFile;
  count: number;
}

/** Locks this process holds, by lock-file path (the process may open one store twice). */
const held = new Map<string, Held>();

/** The lock file of a store file. */
export function lockPathOf(storePath: string): string {
  return `${storePath}.lock`;
}

/**
 * Takes the exclusive writer lock of the store at `storePath` (no wait).
 *
 * @throws {StoreLockedError} When another process holds it (the message names its pid).
 */
export function acquireStoreLock(storePath: string): StoreLock {
  const path = lockPathOf(canonical(storePath));
  let h = held.get(path);
  if (!h) {
    const file = Deno.openSync(path, { read: true, write: true, create: true });
    if (!file.tryLockSync(true)) {
      const holder = readHolder(path);
      file.close();
      throw new StoreLockedError(storePath, holder);
    }
    const me: LockHolder = {
      pid: Deno.pid,
      command: ["deno", ...Deno.args].join(" ").slice(0, 200),
      since: new Date().toISOString(),
    };
    file.truncateSync(0);
    file.writeSync(new TextEncoder().encode(JSON.stringify(me) + "\n"));
    h = { file, count: 0 };
    held.set(path, h);
  }
  h.count++;
  let released = false;
  return {
    file: path,
    release: () => {
      if (released) return;
      released = true;
      const cur = held.get(path);
      if (!cur || --cur.count > 0) return;
      held.delete(path);
      try {
        cur.file.truncateSync(0);
        cur.file.unlockSync();
      } finally {
        cur.file.close();
      }
    },
  };
}

/** Reads who holds a lock file (undefined when it is empty or unreadable). */
export function readHolder(lockFile: string): LockHolder | undefined {
  try {
    const doc = JSON.parse(Deno.readTextFileSync(lockFile)) as Partial<LockHolder>;
    if (typeof doc.pid !== "number") return undefined;
    return { pid: doc.pid, command: String(doc.command ?? ""), since: String(doc.since ?? "") };
  } catch {
    return undefined;
  }
}

/** The store path made absolute, so `a.db` and `./a.db` share one lock entry. */
function canonical(path: string): string {
  const abs = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const cut = abs.lastIndexOf("/");
  try {
    return `${Deno.realPathSync(abs.slice(0, cut) || "/")}/${abs.slice(cut + 1)}`;
  } catch {
    return abs;
  }
}
