import { DatabaseSync, type StatementSync } from "node:sqlite";
import {
  SQLITE_INSERT_CONTROL,
  SQLITE_READ_CONTROL,
  sqliteHasTable,
} from "../sqlite_repositories.ts";
import type { ControlCommandName as ControlCommand } from "../../../core/trading/engine/controls.ts";

/** A logged control command (a `control_commands` row; the dashboard's `ControlView`). */
export interface ControlView {
  id: number;
  ts: number;
  command: string;
  source: string;
  status: string;
  handled_at: number | null;
  detail: string | null;
}

/**
 * Appends control commands to the store's `control_commands` table, which the paper trader
 * polls. This is the dashboard's only write, on its own connection, opened only when controls
 * are enabled (a token is configured). Every row carries the time and the source.
 */
export class ControlWriter {
  /** Path of the store. */
  readonly path: string;
  #conn: { db: DatabaseSync; insert: StatementSync; read: StatementSync } | undefined;

  /**
   * @param path The store file. Nothing is opened (or created) until the first command.
   */
  constructor(path: string) {
    this.path = path;
  }

  #open(): { db: DatabaseSync; insert: StatementSync; read: StatementSync } {
    if (this.#conn) return this.#conn;
    const path = this.path;
    try {
      Deno.statSync(path);
    } catch {
      throw new StoreNotReadyError(path, "the file does not exist yet");
    }
    const db = new DatabaseSync(path);
    db.exec("PRAGMA busy_timeout = 5000;");
    if (!sqliteHasTable(db, "control_commands")) {
      db.close();
      throw new StoreNotReadyError(
        path,
        "it has no control_commands table (run the edge to migrate it)",
      );
    }
    this.#conn = {
      db,
      insert: db.prepare(SQLITE_INSERT_CONTROL),
      read: db.prepare(SQLITE_READ_CONTROL),
    };
    return this.#conn;
  }

  /**
   * Logs one command as pending and returns the stored row.
   *
   * @throws {StoreNotReadyError} When the store or its control table does not exist yet.
   */
  append(command: ControlCommand, source: string, now: number): ControlView {
    const c = this.#open();
    const { lastInsertRowid } = c.insert.run(now, command, source);
    return { ...(c.read.get(Number(lastInsertRowid)) as unknown as ControlView) };
  }

  /** Closes the connection. */
  close(): void {
    this.#conn?.db.close();
    this.#conn = undefined;
  }
}

/** Controls cannot be written yet: the store or its `control_commands` table is missing. */
export class StoreNotReadyError extends Error {
  /**
   * @param path Store file.
   * @param message What is missing.
   */
  constructor(path: string, message: string) {
    super(`Cannot log the control in ${path}: ${message}`);
    this.name = "StoreNotReadyError";
  }
}
