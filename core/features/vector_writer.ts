import type { FeatureSpec } from "./spec.ts";

/**
 * One feature vector being filled: values plus a per-feature missing mask.
 *
 * Every write goes through {@linkcode VectorWriter.set}, which refuses NaN and
 * ±Infinity: such a value is recorded as missing (value 0, mask 1) and counted,
 * so a non-finite number never reaches a model. Missing values are 0 in `values`
 * and 1 in `missing`; {@linkcode VectorWriter.finish} then sets each group's
 * `<group>.missing` flag feature to 1 when any value of the group is missing.
 */
export class VectorWriter {
  /** Values in spec order (0 where missing). */
  readonly values: Float64Array;
  /** 1 where the value is missing. */
  readonly missing: Uint8Array;
  /** Names of features that received a non-finite value in this vector. */
  readonly nonFinite: string[] = [];
  readonly #spec: FeatureSpec;

  /** @param spec The spec the vector follows. */
  constructor(spec: FeatureSpec) {
    this.#spec = spec;
    this.values = new Float64Array(spec.features.length);
    this.missing = new Uint8Array(spec.features.length);
  }

  /** Writes a value; a non-finite one is stored as missing. */
  set(slot: number, value: number): void {
    if (Number.isFinite(value)) {
      this.values[slot] = value;
      this.missing[slot] = 0;
    } else {
      this.values[slot] = 0;
      this.missing[slot] = 1;
      this.nonFinite.push(this.#spec.features[slot]?.name ?? String(slot));
    }
  }

  /** Marks a value missing. */
  miss(slot: number): void {
    this.values[slot] = 0;
    this.missing[slot] = 1;
  }

  /** Sets every group flag from the mask of its values. */
  finish(): void {
    const flags = this.#spec.features;
    let any = 0;
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i];
      if (f?.kind === "flag") {
        this.values[i] = any;
        this.missing[i] = 0;
        any = 0;
      } else if (this.missing[i] === 1) {
        any = 1;
      }
    }
  }
}

/**
 * Resolves the vector slots of names under a prefix.
 *
 * @throws {RangeError} When a name is not in the spec (a programming error).
 */
export function slotsOf(spec: FeatureSpec, prefix: string, names: readonly string[]): Int32Array {
  return Int32Array.from(names, (n) => {
    const i = spec.index.get(`${prefix}.${n}`);
    if (i === undefined) throw new RangeError(`Cannot find feature ${prefix}.${n} in the spec`);
    return i;
  });
}
