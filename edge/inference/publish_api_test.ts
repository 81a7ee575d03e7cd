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

Deno.test("a chunked upload past the limit is refused with 413 before the body is read", async () => {
  const reg = new ModelRegistry(await Deno.makeTempDir({ prefix: "tickerml-pub-" }));
  const app = publishApi({ registry: reg, token: "t", maxBytes: 1 << 20 });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const total = 64 << 20; // 64 MiB offered against a 1 MiB limit, no Content-Length
  let pulled = 0;
  const chunk = new Uint8Array(64 << 10);
  const body = new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (pulled >= total) return ctl.close();
      pulled += chunk.length;
      ctl.enqueue(chunk);
    },
  });
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/models`, {
      method: "POST",
      headers: {
        authorization: "Bearer t",
        "content-type": "multipart/form-data; boundary=x",
      },
      body,
    }).catch((e) => e as Error);
    if (res instanceof Response) {
      assert.equal(res.status, 413);
      assert.match((await res.json()).error, /larger than 1048576 bytes/);
    }
    assert.ok(pulled < total, `the whole ${total} bytes were read (${pulled})`);
    assert.deepEqual(reg.versions(), []);
  } finally {
    await server.shutdown();
  }
});

Deno.test("version names that are registry entries or paths are refused", async () => {
  const reg = new ModelRegistry(await Deno.makeTempDir({ prefix: "tickerml-pub-" }));
  const app = publishApi({ registry: reg, token: "t" });
  for (const v of [".", "..", "incoming", "manifest.json", "CURRENT", "a/b", "..%2f", ".hidden"]) {
    const res = await app.request("/models", {
      method: "POST",
      headers: { authorization: "Bearer t" },
      body: await packageForm((m) => (m.version = v)),
    });
    assert.equal(res.status, 422, v);
    assert.match((await res.json()).error, /version/, v);
  }
  assert.deepEqual([...Deno.readDirSync(reg.dir)].map((e) => e.name), []);
});

Deno.test("a package that fails its test run is removed and the running model stays", async () => {
  const reg = new ModelRegistry(await Deno.makeTempDir({ prefix: "tickerml-pub-" }));
  const host = new ModelHost(reg);
  const app = publishApi({ registry: reg, host, token: "t" });
  const auth = { authorization: "Bearer t" };
  let res = await app.request("/models", {
    method: "POST",
    headers: auth,
    body: await packageForm(),
  });
  assert.equal(res.status, 201);
  // Valid files and hashes, but the manifest promises an RL policy's `position` input that
  // the graph does not have: installed, then refused by its test run (the load check).
  res = await app.request("/models", {
    method: "POST",
    headers: auth,
    body: await packageForm((m) => {
      m.version = "tiny-rl";
      m.policy = { kind: "rl", position_input: true };
    }),
  });
  assert.equal(res.status, 422);
  assert.match((await res.json()).error, /tiny-rl rejected: the graph's inputs/);
  assert.deepEqual(reg.versions(), ["tiny-v1"]);
  assert.equal(await reg.currentVersion(), "tiny-v1");
  assert.equal(host.current?.manifest.version, "tiny-v1");
  await host.release();
});
