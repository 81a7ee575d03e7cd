import type { ModelDecision } from "../../core/model/decision.ts";
import type { ModelManifest } from "../../core/model/manifest.ts";
import { checkInt8Weights, inspectInt8Graph, Int8GraphError } from "../../core/model/int8_graph.ts";
import { assessInt8, type Int8Assessment } from "../../core/model/int8_scheme.ts";
import { MODEL_INPUT, POSITION_INPUT } from "../../core/model/model_io.ts";
import {
  checkedPosition,
  type DecideContext,
  type DecisionResult,
  normalizeWindow,
  runModel,
  type WindowDecider,
  type WindowRow,
} from "../../infra/inference/model_session.ts";
import { type ModelRegistry, ModelRejected } from "./model_registry.ts";
import { createOrtSession, ort, type OrtOptions } from "../../infra/inference/ort_runtime.ts";

/** A model ready for decisions. */
export interface LoadedModel {
  /** Its manifest. */
  readonly manifest: ModelManifest;
  /** Precision of the loaded file. */
  readonly precision: "fp32" | "int8";
  /** The ORT session. */
  readonly session: ort.InferenceSession;
  /** The package's INT8 file judged against the current scheme (core/model/int8_scheme.ts). */
  readonly int8: Int8Assessment;
}

/** Graph inputs a manifest promises: `features`, plus `position` for RL policies. */
function expectedInputs(manifest: ModelManifest): string[] {
  return manifest.policy.position_input ? [MODEL_INPUT, POSITION_INPUT] : [MODEL_INPUT];
}

/**
 * Refuses an INT8 file whose MatMulInteger weights reach beyond the range its
 * manifest declares (a package that does not hold what it says).
 */
function checkDeclaredRange(version: string, manifest: ModelManifest, bytes: Uint8Array): void {
  const declared = manifest.quantization?.weight_range;
  try {
    if (declared !== undefined) checkInt8Weights(bytes, declared);
    else inspectInt8Graph(bytes);
  } catch (e) {
    if (!(e instanceof Int8GraphError)) throw e;
    throw new ModelRejected(version, `its INT8 file does not match its manifest: ${e.message}`, {
      cause: e,
    });
  }
}

/** Options of {@linkcode ModelHost}. */
export interface ModelHostOptions extends OrtOptions {
  /** Which file to load; defaults to the manifest's default precision. */
  precision?: "fp32" | "int8";
  /**
   * Scale of the position head in decision decoding (default 1: the engine's 0..1 order size,
   * a share of the equity cap for buys and of the position for sells — what the trainer's
   * environment uses; the cap itself is applied by the engine's sizing).
   */
  maxFraction?: number;
  /** Monotonic clock in ms (injected for tests). */
  now?: () => number;
}

/**
 * Holds the active model and swaps it atomically between two decisions: a new model
 * is verified (hashes, feature spec, a smoke inference) before it replaces the old one,
 * and a decision in flight finishes on the model it started with. A bad model is
 * refused with {@linkcode ModelRejected} and the old one keeps running.
 */
export class ModelHost implements WindowDecider {
  readonly #registry: ModelRegistry;
  readonly #options: ModelHostOptions;
  #current: LoadedModel | undefined;
  readonly #inFlight = new Map<LoadedModel, number>();

  /**
   * @param registry Where models are installed.
   * @param options ORT threads, WASM path, precision, sizing cap.
   */
  constructor(registry: ModelRegistry, options: ModelHostOptions = {}) {
    this.#registry = registry;
    this.#options = options;
  }

  /** The active model, if any. */
  get current(): LoadedModel | undefined {
    return this.#current;
  }

  /** Loads the registry's CURRENT version (no-op when none). */
  async loadCurrent(): Promise<LoadedModel | undefined> {
    const v = await this.#registry.currentVersion();
    return v === undefined ? undefined : await this.swapTo(v);
  }

  /**
   * Loads, verifies and activates `version`, then makes it the model of the next decision.
   *
   * @throws {ModelRejected} When the model is missing, corrupt, mismatched or fails the smoke test.
   */
  async swapTo(version: string): Promise<LoadedModel> {
    const manifest = await this.#registry.manifest(version);
    const precision = this.#options.precision ?? manifest.default_precision;
    const bytes = await this.#registry.readModel(manifest, precision);
    if (precision === "int8") checkDeclaredRange(version, manifest, bytes);
    let session: ort.InferenceSession;
    try {
      session = await createOrtSession(bytes, this.#options);
    } catch (e) {
      throw new ModelRejected(version, `ONNX Runtime cannot load it: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const int8 = assessInt8({
      hasInt8: manifest.files.int8 !== undefined,
      quantization: manifest.quantization,
    });
    const loaded: LoadedModel = { manifest, precision, session, int8 };
    const { window: T, feature_dim: F } = manifest.shape;
    const inputs = [...session.inputNames].sort();
    const expected = expectedInputs(manifest).sort();
    if (inputs.join() !== expected.join()) {
      await session.release().catch(() => {});
      throw new ModelRejected(
        version,
        `the graph's inputs [${inputs}] are not the manifest's [${expected}] (policy.position_input ${manifest.policy.position_input})`,
      );
    }
    try {
      await this.#run(loaded, new Float32Array(T * F), 0);
    } catch (e) {
      await session.release().catch(() => {});
      throw new ModelRejected(version, `smoke inference failed: ${(e as Error).message}`, {
        cause: e,
      });
    }
    await this.#registry.activate(version);
    const old = this.#current;
    this.#current = loaded;
    // The old session is released once no decision is running on it.
    if (old && !this.#inFlight.has(old)) await old.session.release().catch(() => {});
    return loaded;
  }

  /** Releases the active model's session (the host holds no model afterwards). */
  async release(): Promise<void> {
    const cur = this.#current;
    this.#current = undefined;
    if (cur && !this.#inFlight.has(cur)) await cur.session.release().catch(() => {});
  }

  /**
   * Runs one decision on a raw (unnormalized) window of T feature rows, oldest first.
   * Rows are standardized with the model's statistics; a missing value (mask 1) or a
   * non-finite one becomes 0, so NaN never reaches the model. An RL policy also gets
   * the position fraction (default 0).
   *
   * @throws {Error} When no model is loaded or the window does not fit the model.
   * @throws {RangeError} When the position fraction is not finite.
   */
  async decide(
    window: readonly WindowRow[],
    context: DecideContext = {},
  ): Promise<DecisionResult> {
    const model = this.#current;
    if (!model) throw new Error("Cannot decide: no model is loaded");
    const position = checkedPosition(context);
    const now = this.#options.now ?? (() => performance.now());
    const started = now();
    const input = normalizeWindow(model.manifest, window);
    this.#inFlight.set(model, (this.#inFlight.get(model) ?? 0) + 1);
    let result;
    try {
      result = await this.#run(model, input, position);
    } finally {
      const left = (this.#inFlight.get(model) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(model, left);
      else {
        this.#inFlight.delete(model);
        if (model !== this.#current) await model.session.release().catch(() => {});
      }
    }
    const { decision, attention } = result;
    return {
      decision,
      version: model.manifest.version,
      latencyMs: now() - started,
      ...(attention ? { attention } : {}),
      ...(model.manifest.policy.position_input ? { positionFraction: position } : {}),
    };
  }

  #run(
    model: LoadedModel,
    input: Float32Array,
    position: number,
  ): Promise<{ decision: ModelDecision; attention?: Float32Array }> {
    return runModel(model.manifest, model.session, input, position, this.#options.maxFraction ?? 1);
  }
}

export type { DecideContext, DecisionResult, WindowRow };
