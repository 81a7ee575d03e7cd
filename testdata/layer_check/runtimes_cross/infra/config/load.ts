import { TRADER } from "../../edge/trader/trader.ts";
/** Infra imports only core. */
export const LOAD = TRADER;
