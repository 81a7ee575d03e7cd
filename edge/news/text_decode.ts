/** Decoded feed text and how it was decoded. */
export interface DecodedText {
  /** The text. */
  readonly text: string;
  /** The charset used. */
  readonly charset: string;
  /** Set when the declared charset was wrong or unknown. */
  readonly warning?: string;
}

const SINGLE_BYTE = /^(iso-8859-\d+|latin1|l1|windows-125\d|cp125\d|us-ascii|ascii)$/;

function charsetFromContentType(contentType: string | null): string | undefined {
  const m = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? "");
  return m?.[1]?.toLowerCase();
}

function charsetFromDeclaration(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 256));
  const m = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return m?.[1]?.toLowerCase();
}

function tryDecode(bytes: Uint8Array, label: string): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

/**
 * Decodes feed bytes: a byte-order mark wins, then the HTTP `charset`, then the XML
 * declaration, then UTF-8. Wrong declarations are common, so: bytes that are not valid
 * UTF-8 though declared so are read as windows-1252, and bytes declared single-byte
 * (ISO-8859-1, windows-1252) that are valid UTF-8 with non-ASCII characters are read
 * as UTF-8; both cases carry a warning. Unknown charsets fall back the same way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFeedText } from "./text_decode.ts";
 * const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]); // "café" in ISO-8859-1
 * const d = decodeFeedText(latin1, "text/xml; charset=utf-8");
 * assert.equal(d.text, "café");
 * assert.match(d.warning ?? "", /not valid UTF-8/);
 * ```
 */
export function decodeFeedText(bytes: Uint8Array, contentType: string | null): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8OrFallback(bytes.subarray(3), "utf-8 (BOM)");
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), charset: "utf-16le" };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), charset: "utf-16be" };
  }
  const declared = charsetFromContentType(contentType) ?? charsetFromDeclaration(bytes) ?? "utf-8";
  if (declared === "utf-8" || declared === "utf8") return decodeUtf8OrFallback(bytes, "utf-8");
  let known = true;
  try {
    new TextDecoder(declared);
  } catch {
    known = false;
  }
  if (!known) {
    const d = decodeUtf8OrFallback(bytes, "utf-8");
    return { ...d, warning: `unknown charset "${declared}"; read as ${d.charset}` };
  }
  if (SINGLE_BYTE.test(declared) && hasNonAscii(bytes)) {
    const utf8 = tryDecode(bytes, "utf-8");
    if (utf8 !== undefined) {
      return {
        text: utf8,
        charset: "utf-8",
        warning: `declared ${declared} but the bytes are UTF-8; read as UTF-8`,
      };
    }
  }
  return { text: new TextDecoder(declared).decode(bytes), charset: declared };
}

function decodeUtf8OrFallback(bytes: Uint8Array, label: string): DecodedText {
  const text = tryDecode(bytes, "utf-8");
  if (text !== undefined) return { text, charset: label };
  return {
    text: new TextDecoder("windows-1252").decode(bytes),
    charset: "windows-1252",
    warning: `declared ${label} but not valid UTF-8; read as windows-1252`,
  };
}
