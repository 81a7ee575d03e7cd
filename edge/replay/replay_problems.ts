/**
 * Collects why a replay's result is not trustworthy, each with the file or symbol and
 * the reason: damaged, missing or empty files, receive times that go backwards,
 * rejected snapshots, depth streams that never built a book.
 *
 * @module
 */

/** The book facts {@linkcode ReplayProblems.book} looks at. */
export interface BookFacts {
  depth_msgs: number;
  snapshots: number;
  synced: boolean;
  gaps: number;
  crossed: number;
}

/** Problems of one replay, in the order found. */
export class ReplayProblems {
  /** One sentence per problem. */
  readonly list: string[] = [];
  /** Receive times lower than the one before (line order, across files). */
  timeRegressions = 0;
  #lastTime = -Infinity;

  /** Adds a problem. */
  add(message: string): void {
    this.list.push(message);
  }

  /** A file that could not be read whole (missing, not gzip, truncated, garbage, empty). */
  file(file: string, message: string): void {
    this.add(`${file}: ${message}`);
  }

  /** Checks that receive times never go backwards; reports the first regression of each run. */
  time(file: string, lineNo: number, receiveTime: number): void {
    if (receiveTime < this.#lastTime) {
      if (this.timeRegressions === 0) {
        this.add(
          `${file}:${lineNo}: receive time goes backwards (${receiveTime} ms after ${this.#lastTime} ms); ` +
            `lines or files are out of order`,
        );
      }
      this.timeRegressions++;
    }
    this.#lastTime = receiveTime;
  }

  /** A stream with depth messages must end with a synced book. */
  book(files: readonly string[], symbol: string, s: BookFacts): void {
    if (s.depth_msgs === 0 || s.synced) return;
    const where = files.length === 1 ? files[0] : `${files.length} files`;
    const why = s.snapshots === 0
      ? "no REST snapshot was attributed to it"
      : s.gaps > 0
      ? `${s.gaps} sequence gap(s) after its last snapshot`
      : "its snapshot never bridged the diff stream";
    this.add(
      `${where}: ${symbol} has ${s.depth_msgs} depth messages but no book at the end (${why})`,
    );
  }
}
