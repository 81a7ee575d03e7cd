import { TRADER } from "../../edge/trader/trader.ts";
/** Core must not import a runtime. */
export const WINDOW = TRADER;
