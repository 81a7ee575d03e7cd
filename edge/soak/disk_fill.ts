/**
 * The soak's full-disk phase: the store's directory is a tmpfs the soak mounts (root only), and
 * for a window the soak shrinks it to what is in use plus a little and fills the rest with a
 * filler file, then deletes the filler and grows it back. (Shrinking at the moment of the fill
 * keeps the RAM a tmpfs costs to what the store uses; to the edge it is a small disk that fills.)
 * What the edge's store writer logged in the meantime is read back from its log.
 *
 * @module
 */

/** A mounted tmpfs; {@linkcode TmpfsDisk.unmount} it in a `finally`. */
export class TmpfsDisk {
  readonly dir: string;
  readonly #sizeMb: number;
  #filler: string | undefined;

  private constructor(dir: string, sizeMb: number) {
    this.dir = dir;
    this.#sizeMb = sizeMb;
  }

  /**
   * Mounts a tmpfs of `sizeMb` on `dir` (created), or returns the reason it cannot.
   *
   * @returns The disk, or a string saying why the phase is skipped (not root, mount failed).
   */
  static async mount(dir: string, sizeMb: number): Promise<TmpfsDisk | string> {
    if (Deno.uid() !== 0) return "not root: mounting a tmpfs needs root";
    await Deno.mkdir(dir, { recursive: true });
    const r = await run("mount", "-t", "tmpfs", "-o", `size=${sizeMb}m`, "tmpfs", dir);
    return r === "" ? new TmpfsDisk(dir, sizeMb) : `mount failed: ${r}`;
  }

  /**
   * Shrinks the tmpfs to its use plus `headroomMb` and fills that with a filler file.
   *
   * @returns Bytes in use (store) when it filled.
   */
  async fill(headroomMb: number): Promise<number> {
    const used = await usedBytes(this.dir);
    const size = Math.ceil(used / 1048576) + headroomMb;
    const r = await run("mount", "-o", `remount,size=${size}m`, this.dir);
    if (r !== "") throw new Error(`tmpfs ${this.dir}: shrinking to ${size} MB failed: ${r}`);
    this.#filler = `${this.dir}/filler`;
    const f = await Deno.open(this.#filler, { write: true, create: true, truncate: true });
    const chunk = new Uint8Array(256 * 1024);
    try {
      while (true) await f.write(chunk);
    } catch {
      /* ENOSPC: full */
    } finally {
      f.close();
    }
    return used;
  }

  /** Deletes the filler and grows the tmpfs back. */
  async free(): Promise<void> {
    if (this.#filler) await Deno.remove(this.#filler).catch(() => {});
    this.#filler = undefined;
    const r = await run("mount", "-o", `remount,size=${this.#sizeMb}m`, this.dir);
    if (r !== "") throw new Error(`tmpfs ${this.dir}: growing back failed: ${r}`);
  }

  /** Unmounts (lazily, so a process still holding a file cannot keep it mounted). */
  async unmount(): Promise<void> {
    await run("umount", "-l", this.dir);
  }
}

/** Bytes in use on the filesystem holding `dir` (df). */
export async function usedBytes(dir: string): Promise<number> {
  const out = await new Deno.Command("df", { args: ["-B1", "--output=used", dir] }).output();
  const n = Number(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1));
  if (!Number.isFinite(n)) throw new Error(`df ${dir}: no usage figure`);
  return n;
}

/** What the store writer reported about a full disk (from the edge's log). */
export interface DiskFullLog {
  /** "store write failed" lines (pauses). */
  pauses: number;
  /** The first real error reported, or null. */
  first_error: string | null;
  /** "store writable again" lines (resumes). */
  resumes: number;
  /** Whether the last pause was followed by a resume (writing did not stay paused). */
  resumed_after_last_pause: boolean;
  /** Events the writer reported dropped (its buffer cap reached while paused). */
  dropped_events: number;
  /** Times the paper trader waited on a full disk, and times it wrote again. */
  trader_waits: number;
  trader_resumes: number;
  /** "cannot rollback" lines (the masking error issue 16 names; must be 0). */
  rollback_errors: number;
}

/** Reads the writer's pause, resume and drop lines out of an edge log. */
export function parseDiskFullLog(text: string): DiskFullLog {
  const out: DiskFullLog = {
    pauses: 0,
    first_error: null,
    resumes: 0,
    resumed_after_last_pause: false,
    dropped_events: 0,
    trader_waits: 0,
    trader_resumes: 0,
    rollback_errors: 0,
  };
  for (const line of text.split("\n")) {
    const fail = /store write failed: (.*?); writing paused/.exec(line);
    if (fail) {
      out.pauses++;
      out.first_error ??= fail[1]!;
      out.resumed_after_last_pause = false;
    }
    if (line.includes("store writable again") && !line.includes("paper trader")) {
      out.resumes++;
      out.resumed_after_last_pause = true;
    }
    const drop = /(\d+) oldest events were dropped/.exec(line);
    if (drop) out.dropped_events += Number(drop[1]);
    if (line.includes("paper trader: store write failed")) out.trader_waits++;
    if (line.includes("paper trader: store writable again")) out.trader_resumes++;
    if (line.includes("cannot rollback")) out.rollback_errors++;
  }
  return out;
}

async function run(cmd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  return out.success ? "" : new TextDecoder().decode(out.stderr).trim() || `exit ${out.code}`;
}
