import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { ControlCommand, ControlView } from "../live/types.ts";

/**
 * Appends control commands to the store's `control_commands` table, which the paper trader
 * polls. This is the dashboard's only write, on its own connection, opened only when controls
 * are enabled (a token is configured). Every row carries the time and the source.
 */
export class ControlWriter {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #read: StatementSync;

  private constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(
      "INSERT INTO control_commands (ts, command, source, status) VALUES (?, ?, ?, 'pending')",
    );
    this.#read = db.prepare(
      "SELECT id, ts, command, source, status, handled_at, detail FROM control_commands WHERE id = ?",
    );
  }

  /**
   * Opens the store for control writes.
   *
   * @throws {Error} When the file cannot be opened or has no `control_commands` table (the edge
   *   has not migrated it yet).
   */
  static open(path: string): ControlWriter {
    const db = new DatabaseSync(path);
    db.exec("PRAGMA busy_timeout = 5000;");
    const ok = db.prepare(
      "SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'control_commands'",
    ).get();
    if (!ok) {
      db.close();
      throw new Error(
        `Cannot write controls to ${path}: it has no control_commands table (run the edge once to migrate it)`,
      );
    }
    return new ControlWriter(db);
  }

  /** Logs one command as pending and returns the stored row. */
  append(command: ControlCommand, source: string, now: number): ControlView {
    const { lastInsertRowid } = this.#insert.run(now, command, source);
    return { ...(this.#read.get(Number(lastInsertRowid)) as unknown as ControlView) };
  }

  /** Closes the connection. */
  close(): void {
    this.#db.close();
  }
}
