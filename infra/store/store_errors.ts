/**
 * Errors of the store adapters (edge side). Callers catch these by class.
 *
 * @module
 */

export { StoreUnavailableError } from "../../core/errors.ts";

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
