/**
 * Operator control commands (the dashboard's `control_commands`) and how the engine
 * applies them: pause entries, resume, flatten all, kill switch, reload model. Applying
 * a command is deterministic (it depends only on the engine's state and `now`), so a
 * restarted trader that re-applies a stored command at the same point of the event
 * stream rebuilds the same state.
 *
 * @module
 */

import type { TradingEngine } from "./engine.ts";
import type { FlattenResult } from "./exit_orders.ts";

/** The commands an operator can send. */
export const CONTROL_COMMANDS = [
  "pause_entries",
  "resume",
  "flatten_all",
  "kill_switch",
  "reload_model",
] as const;

/** One of {@linkcode CONTROL_COMMANDS}. */
export type ControlCommandName = typeof CONTROL_COMMANDS[number];

/** A command as the trader reads it (the name is checked when it is applied). */
export interface ControlCommand {
  /** Row id in `control_commands` (applied in id order). */
  readonly id: number;
  /** Command name as stored; anything outside {@linkcode CONTROL_COMMANDS} is rejected. */
  readonly command: string;
  /** Who sent it ("dashboard@127.0.0.1"). */
  readonly source: string;
}

/** What became of a command. */
export interface ControlOutcome {
  /** Applied, or rejected (nothing changed). */
  readonly status: "applied" | "rejected";
  /** What was done, or why not. */
  readonly detail: string;
}

/** Detail of `reload_model` when the trader has no model host. */
export const NO_MODEL_DETAIL = "no model strategy loaded";

/** True when `name` is a known command. */
export function isControlCommand(name: string): name is ControlCommandName {
  return (CONTROL_COMMANDS as readonly string[]).includes(name);
}

/** What an operator command acts on: the trading engine's operator surface. */
export type ControlTarget = Pick<
  TradingEngine,
  "risk" | "pauseEntries" | "resume" | "flattenAll" | "kill"
>;

/**
 * Applies one command to the engine at time `now` (the engine's clock).
 *
 * - `pause_entries`: entries are refused (state REDUCING, reason "entries paused by …");
 *   exits, stop-loss and take-profit still go out.
 * - `resume`: lifts the pause and releases the kill switch (breakers such as the
 *   drawdown limit stay as they are).
 * - `flatten_all`: cancels every open order and sells every position with reduce-only
 *   market orders; refused while HALTED (the kill switch already flattened).
 * - `kill_switch`: cancel all, flatten (past the risk manager), then HALTED until `resume`.
 * - `reload_model`: no engine change; the detail says no model is loaded (the edge's model
 *   host, when there is one, replaces it).
 * - anything else: rejected with the list of known commands.
 */
export function applyControl(
  engine: ControlTarget,
  cmd: ControlCommand,
  now: number,
): ControlOutcome {
  const applied = (detail: string): ControlOutcome => ({ status: "applied", detail });
  const rejected = (detail: string): ControlOutcome => ({ status: "rejected", detail });
  if (!isControlCommand(cmd.command)) {
    return rejected(
      `unknown command "${cmd.command}": expected one of ${CONTROL_COMMANDS.join(", ")}`,
    );
  }
  if (!Number.isFinite(now)) return rejected("the trader has not processed any event yet");
  const risk = engine.risk;
  switch (cmd.command) {
    case "pause_entries": {
      if (risk.paused) return applied(`entries were already paused (${risk.reason})`);
      engine.pauseEntries(now, cmd.source);
      return applied(`entries paused; exits still allowed; state ${risk.state}`);
    }
    case "resume": {
      const was = [
        risk.paused ? "entries resumed" : "",
        risk.state === "HALTED" ? "kill switch released" : "",
      ]
        .filter((x) => x !== "");
      engine.resume(now, cmd.source);
      const still = risk.state === "ACTIVE" ? "" : ` (still ${risk.state}: ${risk.reason})`;
      return applied(
        `${
          was.length > 0 ? was.join("; ") : "nothing to resume: entries were not paused"
        }; state ${risk.state}${still}`,
      );
    }
    case "flatten_all": {
      if (risk.state === "HALTED") {
        return rejected(`trading is HALTED (${risk.reason}): send resume first`);
      }
      return applied(`flatten all: ${describe(engine.flattenAll(now))}`);
    }
    case "kill_switch": {
      if (risk.state === "HALTED") return applied(`already HALTED (${risk.reason})`);
      const res = engine.kill(now, `by ${cmd.source}`, { flatten: true });
      return applied(`kill switch engaged, HALTED until resume: ${describe(res)}`);
    }
    case "reload_model":
      return applied(NO_MODEL_DETAIL);
  }
}

function describe(r: FlattenResult): string {
  const parts = [`${r.cancelled} open order(s) cancelled`];
  parts.push(r.positions.length === 0 ? "no position held" : r.positions.join("; "));
  return parts.join("; ");
}
