import { type ModelSpec, parameterShapes } from "./model_spec.ts";

/** Parameter values by name, shaped as {@linkcode parameterShapes} says (row-major float32). */
export interface ModelWeights {
  /** The architecture. */
  readonly spec: ModelSpec;
  /** Values by parameter name. */
  readonly params: ReadonlyMap<string, Float32Array>;
}

/**
 * Checks that every parameter exists with the right size and finite values.
 *
 * @throws {RangeError} Naming the first missing, mis-sized or non-finite parameter.
 */
export function validateWeights(w: ModelWeights): void {
  for (const { name, shape } of parameterShapes(w.spec)) {
    const v = w.params.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!v) throw new RangeError(`Cannot use weights: parameter ${name} is missing`);
    if (v.length !== size) {
      throw new RangeError(
        `Cannot use weights: ${name} must have ${size} values [${shape}], has ${v.length}`,
      );
    }
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        throw new RangeError(`Cannot use weights: ${name}[${i}] is not finite`);
      }
    }
  }
}
