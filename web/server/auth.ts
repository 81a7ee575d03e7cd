import { timingSafeEqual } from "node:crypto";

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Whether an `Authorization` header carries `Bearer <token>`, compared in constant time
 * (over SHA-256 digests, so the length does not leak either).
 *
 * @param header The request's Authorization header.
 * @param token The configured token; undefined means controls are disabled (always false).
 */
export async function bearerMatches(
  header: string | undefined,
  token: string | undefined,
): Promise<boolean> {
  if (!token || !header) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const [a, b] = await Promise.all([digest(m[1]!), digest(token)]);
  return timingSafeEqual(a, b);
}

/**
 * Whether a request is same-origin: true without an Origin header (non-browser clients), else
 * the Origin's host must equal the Host header. Used to refuse cross-site writes (no CORS).
 */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
