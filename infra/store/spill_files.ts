/**
 * The spill files of one `WriteQueue`: JSON lines of batches that did not fit in
 * memory, written in order later (and by the next process when this one stops first), plus the
 * file of batches the database refused for good.
 *
 * @module
 */
import { readRecordedLines } from "../recording/recorded_lines.ts";

/** Options of {@linkcode SpillFiles}. */
export interface SpillFilesOptions {
  /** Directory of the files; without it nothing is spilled and refused batches are dropped. */
  readonly dir: string | undefined;
  /** File name prefix (one per writing process). */
  readonly prefix: string;
  /** Called once a batch is appended to a spill file. */
  readonly onSpilled: (rows: number) => void;
  /** Log lines (a new spill file, a spill file written and removed). */
  readonly log: (line: string) => void;
}

/** A spilled batch not yet written to the database. */
export interface SpilledLine {
  /** Line number in its file (1-based). */
  readonly lineNo: number;
  /** The line: JSON of `{ rows, payload }`. */
  readonly text: string;
}

/** One queue's spill directory; see the module documentation. */
export class SpillFiles<P> {
  readonly #o: SpillFilesOptions;
  #file: string | undefined;
  #chain: Promise<void> = Promise.resolve();
  #count = 0;
  readonly #done = new Map<string, number>();

  /** @param options Directory, prefix and callbacks. */
  constructor(options: SpillFilesOptions) {
    this.#o = options;
  }

  /**
   * Appends a batch to the current spill file (starting one if needed), after the appends
   * before it. Only called with a directory set.
   */
  append(payload: P, rows: number): Promise<void> {
    const dir = this.#o.dir as string;
    this.#chain = this.#chain.then(async () => {
      if (!this.#file) {
        await Deno.mkdir(dir, { recursive: true });
        const stamp = String(Date.now()).padStart(15, "0");
        this.#file = `${dir}/${this.#o.prefix}-${stamp}-${this.#count++}.jsonl`;
        this.#o.log(`buffer full: spilling batches to ${this.#file}`);
      }
      await Deno.writeTextFile(this.#file, `${JSON.stringify({ rows, payload })}\n`, {
        append: true,
      });
      this.#o.onSpilled(rows);
    });
    return this.#chain;
  }

  /** Settles once every append so far has. */
  appended(): Promise<void> {
    return this.#chain;
  }

  /** Makes the next append start a new file (the current one is about to be written). */
  rotate(): void {
    this.#file = undefined;
  }

  /** Paths of the spill files waiting to be written, oldest first. */
  async list(): Promise<string[]> {
    const dir = this.#o.dir;
    if (!dir) return [];
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(dir)) {
        if (e.isFile && e.name.startsWith(`${this.#o.prefix}-`) && e.name.endsWith(".jsonl")) {
          if (!e.name.endsWith("-rejected.jsonl")) names.push(e.name);
        }
      }
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw e;
    }
    return names.sort().map((n) => `${dir}/${n}`);
  }

  /**
   * The lines of a spill file not yet marked written.
   *
   * @throws {Error} When the file cannot be read to its end.
   */
  async *unwritten(path: string): AsyncGenerator<SpilledLine> {
    const done = this.#done.get(path) ?? 0;
    for await (const line of readRecordedLines(path)) {
      if (line.kind === "error") throw new Error(`spill file ${path}: ${line.message}`);
      if (line.lineNo <= done) continue;
      yield line;
    }
  }

  /** Records that the lines of `path` up to `lineNo` are written. */
  markWritten(path: string, lineNo: number): void {
    this.#done.set(path, lineNo);
  }

  /** Removes a spill file whose every line is written. */
  async remove(path: string): Promise<void> {
    await Deno.remove(path);
    this.#done.delete(path);
    this.#o.log(`spill file ${path} written to the database and removed`);
  }

  /**
   * Keeps a batch the database refused in the `-rejected.jsonl` file.
   *
   * @returns The file's path, or undefined without a directory (the batch is dropped).
   */
  async keepRejected(payload: P, rows: number, error: string): Promise<string | undefined> {
    const dir = this.#o.dir;
    if (!dir) return undefined;
    const path = `${dir}/${this.#o.prefix}-rejected.jsonl`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(path, `${JSON.stringify({ error, rows, payload })}\n`, {
      append: true,
    });
    return path;
  }
}
