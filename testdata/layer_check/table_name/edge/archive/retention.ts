/** SQL in a template names a plain-word table. */
export const purge = (t: number): string => `DELETE FROM trades WHERE time < ${t}`;
/** A plain word outside SQL is fine. */
export const KIND = "trades";
/** The view is a table name too. */
export const VIEW = "SELECT * FROM ohlcv";
