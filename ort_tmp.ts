import { ort } from "./edge/inference/ort_runtime.ts";
const mb = () => Math.round(Deno.memoryUsage().rss / 1e6);
const dir = "models/demo/20261124T075538907Z-bc2dd5";
const m = JSON.parse(Deno.readTextFileSync(`${dir}/manifest.json`));
const bytes = Deno.readFileSync(`${dir}/${m.files[Deno.args[0] ?? "int8"].path}`);
ort.env.wasm.wasmBinary = await Deno.readFile(new URL("ort-wasm-simd-threaded.wasm", import.meta.resolve("onnxruntime-web")));
ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";
const arena = Deno.args[1] !== "noarena";
const s = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all", enableCpuMemArena: arena, enableMemPattern: arena });
console.log(Deno.args.join(" "), "session", mb());
const [T, F] = [m.shape.window, m.shape.feature_dim];
const t0 = performance.now();
for (let i = 0; i < 200; i++) {
  await s.run({ features: new ort.Tensor("float32", new Float32Array(T * F), [1, T, F]) });
}
console.log("after 200 runs", mb(), "ms/run", ((performance.now() - t0) / 200).toFixed(2));
