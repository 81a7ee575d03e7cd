/** "—" for missing values. */
export const DASH = "—";

/** A number with fixed decimals and thousands separators, or "—". */
export function num(v: number | null | undefined, decimals = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return v.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** A signed amount ("+1.20", "-3.40"). */
export function signed(v: number | null | undefined, decimals = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${v > 0 ? "+" : ""}${num(v, decimals)}`;
}

/** A fraction as a percentage. */
export function pct(v: number | null | undefined, decimals = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${num(v * 100, decimals)}%`;
}

/** Epoch ms as UTC "HH:MM:SS". */
export function clock(ms: number | null | undefined): string {
  if (!ms) return DASH;
  return new Date(ms).toISOString().slice(11, 19);
}

/** Epoch ms as UTC "YYYY-MM-DD HH:MM". */
export function dateTime(ms: number | null | undefined): string {
  if (!ms) return DASH;
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

/** CSS class of a signed value. */
export function tone(v: number | null | undefined): string {
  return !v ? "" : v > 0 ? "up" : "down";
}

/** Only http(s) URLs are ever used as link targets. */
export function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined;
}
