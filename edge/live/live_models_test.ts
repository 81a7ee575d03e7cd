/**
 * Models reach a running `start` process: POST /models (token EDGE_PUBLISH_TOKEN), the
 * `incoming/` drain, and the dashboard's `reload_model` control, all in the live process.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { parse, stringify } from "yaml";
import { BUNDLED_MODEL } from "../../infra/bundled_data.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function until<T>(f: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 40; i++) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`gave up waiting: ${what}`);
}

async function packageForm(edit?: (m: Record<string, unknown>) => void): Promise<FormData> {
  const manifest = JSON.parse(await Deno.readTextFile(`${BUNDLED_MODEL}/manifest.json`));
  edit?.(manifest);
  const form = new FormData();
  form.set("manifest", JSON.stringify(manifest));
  for (const name of ["model.fp32.onnx", "model.int8.onnx"]) {
    form.set(name, new Blob([await Deno.readFile(`${BUNDLED_MODEL}/${name}`)]), name);
  }
  return form;
}

Deno.test({
  name: "the live process takes models: POST /models, incoming/ and reload_model",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tickerml-live-models-" });
    const doc = parse(await Deno.readTextFile(`${ROOT}config.yaml`));
    for (const v of Object.values(doc.exchanges) as Record<string, unknown>[]) {
      v.ws_url = "ws://127.0.0.1:9";
      v.rest_url = "http://127.0.0.1:9";
    }
    const port = freePort();
    doc.news.rss_feeds = [];
    doc.storage.sqlite_path = `${dir}/live.db`;
    doc.model.registry_dir = `${dir}/registry`;
    doc.model.publish_port = port;
    doc.model.incoming_poll_s = 0.5;
    await Deno.writeTextFile(`${dir}/config.yaml`, stringify(doc));
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "edge/main.ts",
        "start",
        "--config",
        `${dir}/config.yaml`,
        "--duration",
        "15",
      ],
      cwd: ROOT,
      env: { EDGE_PUBLISH_TOKEN: "tok" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = child.output();
    const url = `http://127.0.0.1:${port}/models`;
    try {
      await until(async () => (await fetch(url)).ok || undefined, "GET /models");
      let res = await fetch(url, {
        method: "POST",
        headers: { authorization: "Bearer TICKERML" },
        body: await packageForm(),
      });
      assert.equal(res.status, 401);
      await res.body?.cancel();
      res = await fetch(url, {
        method: "POST",
        headers: { authorization: "Bearer tok" },
        body: await packageForm(),
      });
      const body = await res.json();
      assert.equal(res.status, 201, JSON.stringify(body));
      const version = body.version;
      assert.deepEqual(await (await fetch(url)).json(), { versions: [version], current: version });

      // A corrupt package dropped into incoming/ is refused and set aside; the model stays.
      const bad = `${dir}/registry/incoming/bad-1`;
      await Deno.mkdir(bad, { recursive: true });
      const m = JSON.parse(await Deno.readTextFile(`${BUNDLED_MODEL}/manifest.json`));
      m.version = "bad-1";
      m.files.fp32.sha256 = "0".repeat(64);
      await Deno.writeTextFile(`${bad}/manifest.json`, JSON.stringify(m));
      for (const n of ["model.fp32.onnx", "model.int8.onnx"]) {
        await Deno.copyFile(`${BUNDLED_MODEL}/${n}`, `${bad}/${n}`);
      }
      await until(() => {
        const names = [...Deno.readDirSync(`${dir}/registry/incoming`)].map((e) => e.name);
        return Promise.resolve(names.some((n) => n.startsWith("bad-1.rejected-")) || undefined);
      }, "the bad package to be refused");
      assert.deepEqual(await (await fetch(url)).json(), { versions: [version], current: version });

      // reload_model from the dashboard, answered by the live process.
      const db = new DatabaseSync(`${dir}/live.db`, { timeout: 5_000 });
      db.prepare(
        "INSERT INTO control_commands (ts, command, source, status) VALUES (?, 'reload_model', 'test', 'pending')",
      ).run(Date.now());
      const row = await until(() => {
        const r = db.prepare("SELECT status, detail FROM control_commands").get() as
          | { status: string; detail: string }
          | undefined;
        return Promise.resolve(r?.status === "pending" ? undefined : r);
      }, "reload_model to be handled");
      db.close();
      assert.equal(row.status, "applied");
      assert.match(row.detail, /baseline/);
    } finally {
      child.kill("SIGTERM");
      const r = await output;
      assert.ok(r.code === 0 || r.code === 1, new TextDecoder().decode(r.stderr).slice(-1500));
    }
  },
});
