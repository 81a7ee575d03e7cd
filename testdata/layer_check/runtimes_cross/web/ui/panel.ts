/** A panel. */
export const PANEL = "panel";
