import { FEE } from "../orders/fee.ts";
/** engine → orders closes the inner cycle. */
export const ENGINE = () => FEE;
