import { decodeDecision, type ModelDecision } from "../../core/model/decision.ts";
import type { ModelManifest } from "../../core/model/manifest.ts";
import { checkInt8Weights, inspectInt8Graph, Int8GraphError } from "../../core/model/int8_graph.ts";
import { assessInt8, type Int8Assessment } from "../../core/model/int8_scheme.ts";
import { ATTENTION_OUTPUT, MODEL_INPUT, POSITION_INPUT } from "../../core/model/model_io.ts";
import { type FeatureNormalization, normalizeVector } from "../../core/features/normalization.ts";
import { type ModelRegistry, ModelRejected } from "./model_registry.ts";
import { createOrtSession, ort, type OrtOptions } from "./ort_runtime.ts";

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

/** One step of a window: plain values, or values with a missing-value mask (a feature row). */
export type WindowRow = ArrayLike<number> | {
  readonly values: ArrayLike<number>;
  readonly missing?: ArrayLike<number>;
};

/** One decision with its provenance and cost. */
export interface DecisionResult {
  /** The decoded decision. */
  readonly decision: ModelDecision;
  /** Model version that made it. */
  readonly version: string;
  /** Wall time of normalize + run + decode, ms. */
  readonly latencyMs: number;
  /** Last layer attention `[heads][T][T]` when the model exports it. */
  readonly attention?: Float32Array;
  /** The position fraction fed to the model, when it takes one (RL policies). */
  readonly positionFraction?: number;
}

/** What a decision knows besides the window. */
export interface DecideContext {
  /**
   * Position value / equity of the traded asset (0 when flat or unknown). Fed to
   * models whose manifest declares `policy.position_input` (RL policies), ignored
   * by the others.
   */
  readonly positionFraction?: number;
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
export class ModelHost {
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
    const position = context.positionFraction ?? 0;
    if (!Number.isFinite(position)) {
      throw new RangeError(`Cannot decide: the position fraction must be finite: ${position}`);
    }
    const now = this.#options.now ?? (() => performance.now());
    const started = now();
    const { window: T } = model.manifest.shape;
    if (window.length !== T) {
      throw new RangeError(
        `Cannot decide: the window has ${window.length} steps, model ${model.manifest.version} expects ${T}`,
      );
    }
    const input = this.#normalize(model, window);
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

  #normalize(model: LoadedModel, window: readonly WindowRow[]): Float32Array {
    const { feature_dim: F } = model.manifest.shape;
    const { mean, std, clip } = model.manifest.normalization;
    const norm: FeatureNormalization = {
      spec_hash: model.manifest.feature_spec.hash,
      mean,
      std,
      count: [],
    };
    const out = new Float32Array(window.length * F);
    window.forEach((row, t) => {
      const plain = ArrayBuffer.isView(row) || Array.isArray(row);
      const values = plain
        ? row as ArrayLike<number>
        : (row as { values: ArrayLike<number> }).values;
      const given = plain ? undefined : (row as { missing?: ArrayLike<number> }).missing;
      if (values.length !== F) {
        throw new RangeError(
          `Cannot decide: step ${t} has ${values.length} features, model ${model.manifest.version} expects ${F}`,
        );
      }
      const v = Float64Array.from(values);
      const missing = new Uint8Array(F);
      for (let i = 0; i < F; i++) if (given?.[i] === 1 || !Number.isFinite(v[i])) missing[i] = 1;
      out.set(normalizeVector(v, missing, norm, clip), t * F);
    });
    return out;
  }

  async #run(
    model: LoadedModel,
    input: Float32Array,
    position: number,
  ): Promise<{ decision: ModelDecision; attention?: Float32Array }> {
    const { window: T, feature_dim: F } = model.manifest.shape;
    const feeds: Record<string, ort.Tensor> = {
      [MODEL_INPUT]: new ort.Tensor("float32", input, [1, T, F]),
    };
    if (model.manifest.policy.position_input) {
      feeds[POSITION_INPUT] = new ort.Tensor("float32", Float32Array.of(position), [1, 1]);
    }
    const out = await model.session.run(feeds);
    const data = (name: string) => {
      const t = out[name];
      if (!t) throw new Error(`model output ${name} is missing`);
      return t.data as Float32Array;
    };
    const decision = decodeDecision({
      actionProbs: data("action_probs"),
      positionSize: data("position_size")[0] as number,
      riskScore: data("risk")[0] as number,
      pricePred: data("price"),
    }, this.#options.maxFraction ?? 1);
    const att = out[ATTENTION_OUTPUT]?.data as Float32Array | undefined;
    return att ? { decision, attention: att } : { decision };
  }
}
