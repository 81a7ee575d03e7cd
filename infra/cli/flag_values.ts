/**
 * Typed values of string flags, with a {@linkcode UsageError} naming the flag on bad input.
 *
 * @module
 */

import { UsageError } from "./usage_error.ts";

/** Bounds of {@linkcode numberFlag}. */
export interface NumberBounds {
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** Least value (inclusive). */
  readonly min?: number;
  /** Greatest value (inclusive). */
  readonly max?: number;
}

/**
 * A numeric flag's value, or `fallback` when the flag is absent.
 *
 * @param value The flag's text (undefined when absent).
 * @param flag The flag's name without dashes, for the message.
 * @param fallback Value when absent.
 * @param bounds Integer and range checks.
 * @throws {UsageError} When the text is not a number in range ("--epochs: expected ...").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { numberFlag } from "./flag_values.ts";
 * assert.equal(numberFlag("16", "batch-size", 8, { integer: true, min: 1 }), 16);
 * assert.equal(numberFlag(undefined, "batch-size", 8), 8);
 * assert.throws(() => numberFlag("x", "batch-size", 8), /--batch-size: expected a number, got x/);
 * ```
 */
export function numberFlag(
  value: string | undefined,
  flag: string,
  fallback: number,
  bounds: NumberBounds = {},
): number {
  if (value === undefined) return fallback;
  const n = value.trim() === "" ? NaN : Number(value);
  const what = bounds.integer ? "a whole number" : "a number";
  if (!Number.isFinite(n) || (bounds.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag}: expected ${what}, got ${value}`);
  }
  if (bounds.min !== undefined && n < bounds.min) {
    throw new UsageError(`--${flag}: expected ${what} >= ${bounds.min}, got ${value}`);
  }
  if (bounds.max !== undefined && n > bounds.max) {
    throw new UsageError(`--${flag}: expected ${what} <= ${bounds.max}, got ${value}`);
  }
  return n;
}

/**
 * A flag restricted to a list of words.
 *
 * @throws {UsageError} When the value is not one of `choices`.
 */
export function choiceFlag<const C extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly C[],
): C | undefined {
  if (value === undefined || (choices as readonly string[]).includes(value)) {
    return value as C | undefined;
  }
  throw new UsageError(`--${flag}: expected ${choices.join(", ")}, got ${value}`);
}
