/**
 * Domain errors callers are expected to catch. Bad arguments use the built-in
 * `TypeError` / `RangeError` / `SyntaxError` instead.
 *
 * @module
 */

/** A book broke an invariant (crossed after sync, checksum mismatch, NaN): stop trading on it. */
export class BookIntegrityError extends Error {
  /** Venue and symbol of the book, e.g. "binance BTC/USDT". */
  readonly book: string;
  /**
   * @param book Venue and symbol of the book.
   * @param message What broke.
   * @param options Optional cause.
   */
  constructor(book: string, message: string, options?: ErrorOptions) {
    super(`Book ${book} is not usable: ${message}`, options);
    this.name = "BookIntegrityError";
    this.book = book;
  }
}

/** The configuration is invalid; `issues` names each key path and what was expected. */
export class ConfigError extends Error {
  /** One line per problem: "path.to.key: expected ..., got ...". */
  readonly issues: readonly string[];
  /**
   * @param source Where the configuration came from (file path).
   * @param issues One line per problem.
   * @param options Optional cause.
   */
  constructor(source: string, issues: readonly string[], options?: ErrorOptions) {
    super(`Invalid configuration in ${source}:\n  ${issues.join("\n  ")}`, options);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Where a {@linkcode StoreUnavailableError} happened and what it cost. */
export interface StoreUnavailableDetail {
  /** The store (a file path or a redacted database name), when known. */
  readonly store?: string;
  /** Rows that were not written and are not held anywhere by the store. Default 0. */
  readonly rows?: number;
}

/**
 * The store cannot be reached, opened or read (after retries): the one error every runtime
 * catches for it (the edge's writers, the dashboard's reader, the trainer's report store).
 */
export class StoreUnavailableError extends Error {
  /** Rows that were not written and are not held anywhere by the store. */
  readonly rows: number;
  /** The store, when known. */
  readonly store: string | undefined;
  /**
   * @param message What could not be done.
   * @param detail Rows not written, or the store and rows.
   * @param options Optional cause (the last connection error).
   */
  constructor(
    message: string,
    detail: number | StoreUnavailableDetail = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "StoreUnavailableError";
    const d = typeof detail === "number" ? { rows: detail } : detail;
    this.rows = d.rows ?? 0;
    this.store = d.store;
  }
}
