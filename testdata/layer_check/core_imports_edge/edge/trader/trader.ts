/** A runtime file. */
export const TRADER = "trader";
