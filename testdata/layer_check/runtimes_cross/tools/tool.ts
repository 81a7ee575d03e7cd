/** A tool. */
export const TOOL = "tool";
