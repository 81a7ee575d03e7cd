/**
 * The simulator's sent-log (`simulate --sent-log DIR`): one file per book,
 * `<venue>_<BASE>-<QUOTE>.sent`, one line per book delta actually sent to a client,
 * `<key> <send time ms>`, in send order. A frame the venue repeats on purpose (a duplicate
 * fault) is one delta and is logged once; a dropped or stalled frame is not logged. The key is
 * what the edge stores of the delta, so the soak can match every delta sent against the
 * store (store_checks.ts) on every venue:
 *
 * - Binance.US, KuCoin: `<first>-<last>` (the update ids / sequenceStart-End);
 * - Coinbase: `<exchange time ms>|<sequence_num>` (the connection's sequence, stored as the
 *   delta's sequence, with the message time);
 * - Kraken: `<exchange time ms>|<checksum>`.
 *
 * @module
 */

/** File name of a book's sent-log. */
export function sentLogName(venue: string, symbol: string): string {
  return `${venue}_${symbol.replace("/", "-")}.sent`;
}

/** Buffered writer of the per-book sent-log files; flushed every 250 ms and on close. */
export class SentLog {
  readonly #dir: string;
  readonly #files = new Map<string, { file: Deno.FsFile; lines: string[] }>();
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #encoder = new TextEncoder();

  /** @param dir Directory of the files (created; existing files are appended to). */
  constructor(dir: string) {
    this.#dir = dir;
    Deno.mkdirSync(dir, { recursive: true });
    this.#timer = setInterval(() => this.flush(), 250);
  }

  /** Records one delta of `venue`'s `symbol` sent now. */
  record(venue: string, symbol: string, key: string): void {
    const name = sentLogName(venue, symbol);
    let f = this.#files.get(name);
    if (!f) {
      const file = Deno.openSync(`${this.#dir}/${name}`, {
        create: true,
        append: true,
        write: true,
      });
      f = { file, lines: [] };
      this.#files.set(name, f);
    }
    f.lines.push(`${key} ${Date.now()}\n`);
  }

  /** Writes what is buffered. */
  flush(): void {
    for (const f of this.#files.values()) {
      if (!f.lines.length) continue;
      const bytes = this.#encoder.encode(f.lines.join(""));
      f.lines = [];
      let off = 0;
      while (off < bytes.length) off += f.file.writeSync(bytes.subarray(off));
    }
  }

  /** Flushes and closes the files. */
  close(): void {
    clearInterval(this.#timer);
    this.flush();
    for (const f of this.#files.values()) f.file.close();
    this.#files.clear();
  }
}
