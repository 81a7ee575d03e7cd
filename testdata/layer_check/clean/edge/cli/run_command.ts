import { TRADER } from "../trader/trader.ts";
/** A command. */
export const RUN = TRADER;
