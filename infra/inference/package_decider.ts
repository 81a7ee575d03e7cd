/**
 * A model package read straight from its directory (`manifest.json` + ONNX files, as
 * `deno task export` writes it) and decided on through the same path as the edge's
 * ModelHost ({@linkcode normalizeWindow} + {@linkcode runModel} on ONNX Runtime). The
 * trainer's backtester uses it to trade every stream the package serves.
 *
 * @module
 */

import { sha256Hex } from "../../core/hash.ts";
import { type ModelManifest, parseManifest } from "../../core/model/manifest.ts";
import {
  checkedPosition,
  type DecideContext,
  type DecisionResult,
  normalizeWindow,
  runModel,
  type WindowDecider,
  type WindowRow,
} from "./model_session.ts";
import { createOrtSession, type ort, type OrtOptions } from "./ort_runtime.ts";

/** A package directory that cannot be used: the message names the directory and the problem. */
export class ModelPackageError extends Error {
  /**
   * @param dir The package directory.
   * @param problem What is wrong.
   */
  constructor(dir: string, problem: string) {
    super(`Model package ${dir}: ${problem}`);
    this.name = "ModelPackageError";
  }
}

/**
 * Reads and validates a package's manifest.
 *
 * @throws {ModelPackageError} When it is missing or invalid.
 */
export async function readPackageManifest(dir: string): Promise<ModelManifest> {
  let doc: unknown;
  try {
    doc = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  } catch (e) {
    throw new ModelPackageError(dir, `cannot read manifest.json: ${(e as Error).message}`);
  }
  const parsed = parseManifest(doc);
  if (!parsed.ok) throw new ModelPackageError(dir, `invalid manifest: ${parsed.issues.join("; ")}`);
  return parsed.manifest;
}

/** See the module documentation. */
export class PackageDecider implements WindowDecider {
  /** The package's manifest. */
  readonly current: { readonly manifest: ModelManifest };
  /** Precision of the loaded file. */
  readonly precision: "fp32" | "int8";
  readonly #session: ort.InferenceSession;

  private constructor(
    manifest: ModelManifest,
    precision: "fp32" | "int8",
    session: ort.InferenceSession,
  ) {
    this.current = { manifest };
    this.precision = precision;
    this.#session = session;
  }

  /**
   * Opens a package: validates the manifest, checks the file's SHA-256, loads it in ONNX Runtime.
   *
   * @param precision Which file (default: the manifest's default precision).
   * @throws {ModelPackageError} When the package is invalid, its file differs or ORT refuses it.
   */
  static async open(
    dir: string,
    options: OrtOptions & { precision?: "fp32" | "int8" } = {},
  ): Promise<PackageDecider> {
    const manifest = await readPackageManifest(dir);
    const precision = options.precision ?? manifest.default_precision;
    const entry = manifest.files[precision];
    if (!entry) throw new ModelPackageError(dir, `has no ${precision} file`);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${dir}/${entry.path}`);
    } catch (e) {
      throw new ModelPackageError(dir, `cannot read ${entry.path}: ${(e as Error).message}`);
    }
    const hash = await sha256Hex(bytes);
    if (hash !== entry.sha256) {
      throw new ModelPackageError(
        dir,
        `${entry.path} has sha256 ${hash}, manifest says ${entry.sha256}`,
      );
    }
    try {
      return new PackageDecider(manifest, precision, await createOrtSession(bytes, options));
    } catch (e) {
      throw new ModelPackageError(dir, `ONNX Runtime cannot load it: ${(e as Error).message}`);
    }
  }

  /** One decision on a raw window (see ModelHost.decide: the same normalization and decoding). */
  async decide(window: readonly WindowRow[], context: DecideContext = {}): Promise<DecisionResult> {
    const manifest = this.current.manifest;
    const position = checkedPosition(context);
    const started = performance.now();
    const { decision, attention } = await runModel(
      manifest,
      this.#session,
      normalizeWindow(manifest, window),
      position,
    );
    return {
      decision,
      version: manifest.version,
      latencyMs: performance.now() - started,
      ...(attention ? { attention } : {}),
      ...(manifest.policy.position_input ? { positionFraction: position } : {}),
    };
  }

  /** Frees the ORT session. */
  release(): Promise<void> {
    return this.#session.release();
  }
}
