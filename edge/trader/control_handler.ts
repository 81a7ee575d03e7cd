/**
 * The paper trader's side of the dashboard controls: polls the store's pending
 * `control_commands` at a bounded interval, applies each to the engine in id order and
 * commits the state change together with the command's status (see
 * {@linkcode TradingStore.commitControl}); on a restart replay, re-applies the commands a
 * run handled at the event cursors they were applied at.
 *
 * @module
 */

import {
  applyControl,
  type ControlCommand,
  type ControlOutcome,
} from "../../core/trading/engine/controls.ts";
import type { TradingEngine } from "../../core/trading/engine/engine.ts";
import type { ChangeCollector } from "./change_collector.ts";
import type { HandledControl } from "../../infra/store/trading/control_rows.ts";
import type { TradingStore } from "../../infra/store/trading/trading_store.ts";

/** Reloads the model strategy; returns what was loaded (the command's detail). */
export type ReloadModelHook = () => string | Promise<string>;

/** Options of {@linkcode ControlHandler}. */
export interface ControlHandlerOptions {
  /** The store holding `control_commands`. */
  readonly store: TradingStore;
  /** Run id. */
  readonly runId: string;
  /** The engine the commands act on. */
  readonly engine: TradingEngine;
  /** The engine's change collector (its changes go into the command's transaction). */
  readonly collector: ChangeCollector;
  /** Least wall time between two polls, ms (0: after every event). */
  readonly intervalMs: number;
  /** Wall clock (poll interval and `handled_at`), epoch ms. */
  readonly now: () => number;
  /** Commands the run handled before (re-applied by {@linkcode ControlHandler.replayAt}). */
  readonly replay: readonly HandledControl[];
  /** Model host: handles `reload_model` (without it: applied, "no model strategy loaded"). */
  readonly onReloadModel?: ReloadModelHook | undefined;
  /** Called after each command's commit. */
  readonly afterCommit?: (() => void) | undefined;
  /** Called with each command handled (log line). */
  readonly onControl?: ((handled: HandledControl) => void) | undefined;
}

/** Polls and applies operator commands for one run. */
export class ControlHandler {
  readonly #o: ControlHandlerOptions;
  #last = -Infinity;
  #busy = false;
  #next = 0;

  /**
   * Creates an instance.
   *
   * @param options Settings.
   */
  constructor(options: ControlHandlerOptions) {
    this.#o = options;
  }

  /**
   * Re-applies the stored commands recorded at event `cursor` or before (restart replay),
   * without writing.
   *
   * @returns A description of the first command whose outcome differs from the stored one.
   */
  replayAt(cursor: number): string | undefined {
    const list = this.#o.replay;
    while (this.#next < list.length && (list[this.#next] as HandledControl).cursor <= cursor) {
      const h = list[this.#next++] as HandledControl;
      if (h.command.command === "reload_model") continue; // no engine state
      const out = applyControl(this.#o.engine, h.command, this.#o.engine.time);
      if (out.status !== h.outcome.status) {
        return `control ${h.command.id} (${h.command.command}) was ${h.outcome.status} after event ${h.cursor} but is ${out.status} on replay (${out.detail})`;
      }
    }
    return undefined;
  }

  /**
   * Applies the pending commands, oldest first, when `intervalMs` has passed since the
   * last poll (the first call always polls). Each command is one transaction stamped with
   * `cursor()`, the events consumed at that moment.
   */
  async poll(cursor: () => number): Promise<void> {
    const o = this.#o;
    if (this.#busy || o.now() - this.#last < o.intervalMs) return;
    this.#last = o.now();
    this.#busy = true;
    try {
      for (const cmd of o.store.pendingControls()) {
        const reload = cmd.command === "reload_model" && o.onReloadModel
          ? await reloadModel(o.onReloadModel)
          : undefined;
        const handled = o.store.commitControl(
          o.runId,
          cmd.id,
          cursor(),
          o.engine,
          (c: ControlCommand) => ({
            outcome: reload ?? applyControl(o.engine, c, o.engine.time),
            changes: o.collector.take(),
          }),
          o.now(),
        );
        if (!handled) continue; // another process handled it first
        o.afterCommit?.();
        o.onControl?.(handled);
      }
    } finally {
      this.#busy = false;
    }
  }
}

async function reloadModel(hook: ReloadModelHook): Promise<ControlOutcome> {
  try {
    return { status: "applied", detail: await hook() };
  } catch (e) {
    return { status: "rejected", detail: `model reload failed: ${(e as Error).message}` };
  }
}
