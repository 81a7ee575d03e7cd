import type { z } from "zod";

/**
 * Parses a JSON text column with a zod schema; a missing, malformed or unexpected value gives
 * `fallback` (the dashboard shows what it can rather than failing the whole response).
 *
 * @param text The column's text (or null).
 * @param schema What the value must look like.
 * @param fallback Value to use when it does not.
 */
export function parseJsonColumn<T>(text: unknown, schema: z.ZodType<T>, fallback: T): T {
  if (typeof text !== "string" || text === "") return fallback;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fallback;
  }
  const r = schema.safeParse(doc);
  return r.success ? r.data : fallback;
}
