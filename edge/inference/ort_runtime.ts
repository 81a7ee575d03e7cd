import * as ort from "onnxruntime-web";

/** Options of {@linkcode createOrtSession}. */
export interface OrtOptions {
  /** WASM threads (1 = no worker threads; the Pi default). */
  threads?: number;
  /** Path or file URL of `ort-wasm-simd-threaded.wasm`; defaults to the copy in the npm package. */
  wasmPath?: string | URL;
}

let loadedWasm: string | undefined;

/** Where the WASM binary of the pinned onnxruntime-web package is. */
export function defaultWasmUrl(): URL {
  return new URL("ort-wasm-simd-threaded.wasm", import.meta.resolve("onnxruntime-web"));
}

/**
 * Creates an onnxruntime-web (WASM SIMD) session from model bytes. The `.wasm` binary is
 * read from a file path and handed to ORT directly (no fetch), so the same code works
 * inside a compiled executable that embeds the file.
 *
 * @throws {Error} When the WASM file cannot be read or ORT rejects the model.
 */
export async function createOrtSession(
  model: Uint8Array,
  options: OrtOptions = {},
): Promise<ort.InferenceSession> {
  const wasm = options.wasmPath ?? defaultWasmUrl();
  const key = String(wasm);
  if (loadedWasm === undefined) {
    ort.env.wasm.wasmBinary = await Deno.readFile(wasm);
    ort.env.wasm.numThreads = options.threads ?? 1;
    ort.env.wasm.simd = true;
    ort.env.logLevel = "error";
    loadedWasm = key;
  } else if (loadedWasm !== key) {
    throw new Error(
      `Cannot load a second ONNX Runtime WASM binary (${key}); ${loadedWasm} is loaded`,
    );
  }
  return await ort.InferenceSession.create(model, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
  });
}

export { ort };
