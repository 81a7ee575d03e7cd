import { FEE } from "../trading/orders/fee.ts";
/** core/market → core/trading. */
export const BOOK = () => FEE;
