import * as ort from "onnxruntime-web";

/** Options of {@linkcode createOrtSession}. */
export interface OrtOptions {
  /** WASM threads (1 = no worker threads; the Pi default). */
  threads?: number;
  /** Path or file URL of `ort-wasm-simd-threaded.wasm`; defaults to the copy in the npm package. */
  wasmPath?: string | URL;
  /**
   * "web": onnxruntime-web (WASM; works in a compiled executable; about 180 MB of RSS for the
   * runtime and its compiled WASM). "node": the native onnxruntime-node addon (about 30 MB,
   * faster), falling back to "web" when the addon cannot load on this machine. Default "web".
   */
  runtime?: "web" | "node";
  /** Told when "node" was asked for and could not load (the web runtime is used instead). */
  onFallback?: (reason: string) => void;
}

let nodeOrt: Promise<typeof import("onnxruntime-node") | Error> | undefined;

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
  if (options.runtime === "node") {
    nodeOrt ??= import("onnxruntime-node").catch((e) => e as Error);
    const native = await nodeOrt;
    if (!(native instanceof Error)) {
      const threads = options.threads ?? 1;
      // Same onnxruntime-common API (sessions take the same Tensor objects).
      return await native.InferenceSession.create(model, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
      }) as unknown as ort.InferenceSession;
    }
    options.onFallback?.(
      `onnxruntime-node cannot load here (${native.message}); using onnxruntime-web`,
    );
  }
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
