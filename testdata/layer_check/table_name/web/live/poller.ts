/** Reads another runtime's table directly. */
export const POLL = "SELECT id FROM control_commands ORDER BY id";
