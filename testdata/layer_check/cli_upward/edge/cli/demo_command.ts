/** A recording path owned by a command. */
export const DEMO = "demo.jsonl";
