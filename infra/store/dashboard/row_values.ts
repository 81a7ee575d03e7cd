/** A nullable numeric column as `number | null`. */
export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** A nullable text column as `string | null`. */
export function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/**
 * An exact amount stored as TEXT in 10^-18 units of its asset (the paper trader's money), as a
 * float for display. A plain number (REAL column) passes through.
 */
export function amountToNumber(v: unknown): number {
  const s = String(v ?? "0").trim();
  const m = /^(-?)(\d+)$/.exec(s);
  if (!m) return Number(s);
  const digits = m[2]!.padStart(19, "0");
  const n = Number(digits.slice(0, -18)) + Number(`0.${digits.slice(-18)}`);
  return m[1] ? -n : n;
}
