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
