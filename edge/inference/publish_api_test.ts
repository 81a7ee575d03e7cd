import assert from "node:assert/strict";
import { ModelHost } from "./model_host.ts";
import { ModelRegistry } from "./model_registry.ts";
import { publishApi } from "./publish_api.ts";

const FIXTURE = new URL("../../testdata/models/tiny/", import.meta.url).pathname;

async function packageForm(
  edit?: (m: Record<string, unknown>) => void,
  corrupt = false,
): Promise<FormData> {
  const manifest = JSON.parse(await Deno.readTextFile(`${FIXTURE}manifest.json`));
  edit?.(manifest);
  const form = new FormData();
  form.set("manifest", JSON.stringify(manifest));
  for (const name of ["model.fp32.onnx", "model.int8.onnx"]) {
    const bytes = await Deno.readFile(`${FIXTURE}${name}`);
    if (corrupt) bytes[50] = (bytes[50] ?? 0) ^ 1;
    form.set(name, new Blob([bytes]), name);
  }
  return form;
}

Deno.test("POST /models over loopback: token required, verified install, hot swap, bad package refused", async () => {
  const reg = new ModelRegistry(await Deno.makeTempDir({ prefix: "tickerml-pub-" }));
  const host = new ModelHost(reg);
  const logs: string[] = [];
  const app = publishApi({ registry: reg, host, token: "s3cret", log: (l) => logs.push(l) });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}/models`;
  try {
    let res = await fetch(url, { method: "POST", body: await packageForm() });
    assert.equal(res.status, 401);
    assert.match((await res.json()).error, /bearer token/);

    const auth = { authorization: "Bearer s3cret" };
    res = await fetch(url, { method: "POST", headers: auth, body: await packageForm() });
    assert.equal(res.status, 201, await res.clone().text());
    assert.deepEqual(await res.json(), { version: "tiny-v1", active: true });
    assert.equal(host.current?.manifest.version, "tiny-v1");

    res = await fetch(url, {
      method: "POST",
      headers: auth,
      body: await packageForm((m) => (m.version = "tiny-v2"), true),
    });
    assert.equal(res.status, 422);
    assert.match(
      (await res.json()).error,
      /tiny-v2 rejected: file model\.(fp32|int8)\.onnx has sha256/,
    );
    assert.equal(host.current?.manifest.version, "tiny-v1");

    res = await fetch(url, { method: "POST", headers: auth, body: "not a form" });
    assert.equal(res.status, 400);
    const form = new FormData();
    form.set("manifest", "{nope");
    res = await fetch(url, { method: "POST", headers: auth, body: form });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, /'manifest' is not JSON/);

    res = await fetch(url);
    assert.deepEqual(await res.json(), { versions: ["tiny-v1"], current: "tiny-v1" });
    assert.ok(logs.some((l) => l.includes("now running model tiny-v1")));
  } finally {
    await server.shutdown();
  }
});

Deno.test("POST /models is refused when the edge has no publish token", async () => {
  const reg = new ModelRegistry(await Deno.makeTempDir({ prefix: "tickerml-pub-" }));
  const res = await publishApi({ registry: reg }).request("/models", {
    method: "POST",
    headers: { authorization: "Bearer anything" },
    body: await packageForm(),
  });
  assert.equal(res.status, 403);
  assert.deepEqual(reg.versions(), []);
});
