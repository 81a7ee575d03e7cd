/**
 * The two ONNX Runtime builds parity runs through: onnxruntime-node (native
 * MLAS kernels of the PC's CPU) and onnxruntime-web (the WASM SIMD build the
 * edge runs, one thread, all graph optimizations, as edge/inference does).
 *
 * @module
 */
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";

/** Which build. */
export type RuntimeName = "node" | "web";

/** Both builds, in the order parity reports them. */
export const RUNTIMES: readonly RuntimeName[] = ["node", "web"];

/** A float32 input: values and dims. */
export interface FloatInput {
  /** Row-major values. */
  readonly data: Float32Array;
  /** Shape. */
  readonly dims: readonly number[];
}

/** A session of either build with float32 inputs and outputs. */
export interface GraphSession {
  /** Runs the graph; outputs by name. */
  run(feeds: Record<string, FloatInput>): Promise<Record<string, Float32Array>>;
  /** Frees the session. */
  release(): Promise<void>;
}

let webReady = false;

async function initWeb(): Promise<void> {
  if (webReady) return;
  const wasm = new URL("ort-wasm-simd-threaded.wasm", import.meta.resolve("onnxruntime-web"));
  ortWeb.env.wasm.wasmBinary = await Deno.readFile(wasm);
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.wasm.simd = true;
  ortWeb.env.logLevel = "error";
  webReady = true;
}

/**
 * Opens `model` in the named build.
 *
 * @throws {Error} When the runtime rejects the model.
 */
export async function openSession(runtime: RuntimeName, model: Uint8Array): Promise<GraphSession> {
  if (runtime === "node") {
    const s = await ortNode.InferenceSession.create(model);
    return {
      run: async (feeds) => {
        const inputs: Record<string, ortNode.Tensor> = {};
        for (const [k, v] of Object.entries(feeds)) {
          inputs[k] = new ortNode.Tensor("float32", v.data, [...v.dims]);
        }
        const out = await s.run(inputs);
        return Object.fromEntries(
          Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]),
        );
      },
      release: () => s.release(),
    };
  }
  await initWeb();
  const s = await ortWeb.InferenceSession.create(model, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
  });
  return {
    run: async (feeds) => {
      const inputs: Record<string, ortWeb.Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) {
        inputs[k] = new ortWeb.Tensor("float32", v.data, [...v.dims]);
      }
      const out = await s.run(inputs);
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
    },
    release: () => s.release(),
  };
}
