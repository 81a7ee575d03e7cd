import { sha256Hex } from "../hash.ts";
import { plainText } from "./plain_text.ts";
import { normalizeTitle } from "./title_key.ts";

const sha256 = sha256Hex;

/** Hash of the normalized headline (32 hex digits): equal for the same story in two feeds. */
export function titleHash(title: string, publisher: string | undefined): string {
  return sha256(normalizeTitle(title, publisher)).slice(0, 32);
}

/**
 * Hash of the normalized headline and summary (64 hex digits): the sentiment cache
 * key, so identical text is never sent to the model twice.
 */
export function contentHash(title: string, description: string | undefined | null): string {
  const body = description ? plainText(description).toLowerCase() : "";
  return sha256(`${normalizeTitle(title, undefined)}\n${body}`);
}
