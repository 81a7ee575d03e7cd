/**
 * Errors of the store adapters (edge side). Callers catch these by class.
 *
 * @module
 */

/** The database cannot be reached (after retries) and the rows could not be kept. */
export class StoreUnavailableError extends Error {
  /** Rows that were not written and are not held anywhere by the store. */
  readonly rows: number;
  /**
   * @param message What could not be done.
   * @param rows Rows not written.
   * @param options Optional cause (the last connection error).
   */
  constructor(message: string, rows: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "StoreUnavailableError";
    this.rows = rows;
  }
}

/**
 * The store's in-memory buffer is full and no spill directory is configured: the batch was
 * not taken (the caller still holds it, e.g. {@linkcode StoreWriter} keeps it for the next try).
 */
export class StoreBacklogError extends Error {
  /** Rows buffered when the batch was refused. */
  readonly bufferedRows: number;
  /**
   * @param bufferedRows Rows already buffered.
   * @param limit The buffer limit in rows.
   */
  constructor(bufferedRows: number, limit: number) {
    super(
      `store buffer full (${bufferedRows} rows buffered, limit ${limit}) while the database is unreachable; ` +
        "set storage.postgres.spill_dir to spill to disk",
    );
    this.name = "StoreBacklogError";
    this.bufferedRows = bufferedRows;
  }
}
