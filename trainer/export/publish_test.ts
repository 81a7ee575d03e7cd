import assert from "node:assert/strict";
import { publishPackage } from "./publish.ts";

const FIXTURE = new URL("../../testdata/models/tiny/", import.meta.url).pathname;

Deno.test("publishPackage() drops a package into a registry's incoming folder", async () => {
  const reg = await Deno.makeTempDir({ prefix: "tickerml-reg-" });
  const r = await publishPackage(FIXTURE, { registryDir: reg });
  assert.equal(r.version, "tiny-v1");
  const names = [...Deno.readDirSync(`${reg}/incoming/tiny-v1`)].map((e) => e.name).sort();
  assert.deepEqual(names, ["manifest.json", "model.fp32.onnx", "model.int8.onnx"]);
});

Deno.test("publishPackage() reports the edge's refusal with its status and reason", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const form = await req.formData();
    assert.equal(req.headers.get("authorization"), "Bearer t");
    assert.ok(form.get("model.int8.onnx") instanceof File);
    return Response.json({ error: "Model tiny-v1 rejected: feature-spec hash differs" }, {
      status: 422,
    });
  });
  try {
    await assert.rejects(
      () => publishPackage(FIXTURE, { url: `http://127.0.0.1:${server.addr.port}`, token: "t" }),
      /Edge refused model tiny-v1 \(HTTP 422\): .*feature-spec hash differs/,
    );
  } finally {
    await server.shutdown();
  }
});
