import { TRADER } from "./trader.ts";
/** Tests may name tables. */
export const ROWS = `${TRADER} paper_decisions`;
