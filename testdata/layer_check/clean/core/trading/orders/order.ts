/** An order; the word trades alone is not a table use. */
export const ORDER = "trades";
