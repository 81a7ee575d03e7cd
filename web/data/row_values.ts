/** A nullable numeric column as `number | null`. */
export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** A nullable text column as `string | null`. */
export function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}
