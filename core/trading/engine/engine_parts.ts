/**
 * The private parts the engine hands its satellites: one object that meets every
 * satellite's ports, of which each satellite reads only its own (see `engine_ports.ts`).
 *
 * @module
 */

import type { RecordPorts } from "./decide.ts";
import type { ClockPorts } from "./engine_clock.ts";
import type { RestorePorts } from "./engine_state.ts";
import type { KillPorts } from "./exit_orders.ts";
import type { BookingPorts } from "./fill_booking.ts";
import type { EntryPorts } from "./order_entry.ts";

/** The ports of decisions, the clock, the engine's own orders, order entry, fills and restore. */
export type EngineParts =
  & RecordPorts
  & ClockPorts
  & KillPorts
  & EntryPorts
  & BookingPorts
  & Omit<RestorePorts, "clock">;
