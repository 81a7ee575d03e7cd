/** A book. */
export const BOOK = "book";
