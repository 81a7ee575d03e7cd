/**
 * Random frame corruption for robustness tests: flips, deletions, truncations,
 * duplicated spans, swapped characters, and JSON-aware changes (numbers made
 * negative, huge, fractional or non-numeric; strings made numbers or null; keys
 * renamed). Many results are invalid JSON, many are valid JSON with bad fields,
 * some stay valid frames.
 *
 * @module
 */

import { randomInt } from "../../core/random.ts";

const GARBAGE = [
  '"',
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  "-",
  ".",
  "e",
  "0",
  "9",
  "null",
  "\\",
  "\u0000",
  "é",
];

/**
 * Returns a mutated copy of `text`.
 *
 * @param text A valid frame.
 * @param rand Random source in [0, 1).
 */
export function mutateFrame(text: string, rand: () => number): string {
  const n = text.length;
  const at = randomInt(rand, 0, Math.max(0, n - 1));
  const pick = <T>(xs: readonly T[]): T => xs[randomInt(rand, 0, xs.length - 1)] as T;
  switch (randomInt(rand, 0, 9)) {
    case 0:
      return text.slice(0, at) + pick(GARBAGE) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + text.slice(at + randomInt(rand, 1, 20));
    case 2:
      return text.slice(0, at);
    case 3: {
      const end = Math.min(n, at + randomInt(rand, 1, 40));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 4: {
      const b = randomInt(rand, 0, Math.max(0, n - 1));
      const chars = [...text];
      [chars[at], chars[b]] = [chars[b] as string, chars[at] as string];
      return chars.join("");
    }
    case 5:
      return replaceNth(
        text,
        /-?\d+(\.\d+)?/g,
        rand,
        () =>
          pick([
            "-1",
            "0",
            "1e400",
            "99999999999999999999",
            "0.000000000000000001",
            "NaN",
            '"7"',
            "1.5",
          ]),
      );
    case 6:
      return replaceNth(
        text,
        /"[^"\\]*"(?=\s*[,}\]])/g,
        rand,
        () => pick(["null", "12", "true", '""', "[]", "{}"]),
      );
    case 7:
      return replaceNth(
        text,
        /"[a-zA-Z_]+"(?=\s*:)/g,
        rand,
        () => pick(['"x"', '"data"', '""', '"type"']),
      );
    case 8:
      return text.slice(0, at) + pick(GARBAGE) + text.slice(at);
    default:
      return pick(["", " ", "null", "[]", "{}", "true", '"text"', "[1,2,3]", '{"type":"message"}']);
  }
}

function replaceNth(text: string, re: RegExp, rand: () => number, by: () => string): string {
  const matches = [...text.matchAll(re)];
  if (matches.length === 0) return text.slice(0, Math.floor(text.length / 2));
  const m = matches[randomInt(rand, 0, matches.length - 1)] as RegExpMatchArray;
  const i = m.index as number;
  return text.slice(0, i) + by() + text.slice(i + m[0].length);
}
