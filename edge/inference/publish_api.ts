import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ModelHost } from "./model_host.ts";
import { type ModelRegistry, ModelRejected } from "./model_registry.ts";

/** Options of {@linkcode publishApi}. */
export interface PublishApiOptions {
  /** Where uploads are installed. */
  registry: ModelRegistry;
  /** Host to hot-swap after a successful upload (optional). */
  host?: ModelHost;
  /** Bearer token required for uploads (EDGE_PUBLISH_TOKEN). Without one, uploads are refused. */
  token?: string;
  /** Largest accepted upload, bytes. Default 64 MiB. */
  maxBytes?: number;
  /** Log line sink. */
  log?: (line: string) => void;
}

/**
 * The edge's model-upload endpoint (Hono):
 * - `GET /models`: installed versions and the active one;
 * - `POST /models` (Bearer token): multipart form with `manifest` (JSON text) and the model
 *   files under the names the manifest lists. The package is verified (hashes, sizes,
 *   feature-spec hash), installed, and hot-swapped in; a bad package is refused with 422
 *   and the running model stays.
 */
export function publishApi(options: PublishApiOptions): Hono {
  const app = new Hono();
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const log = options.log ?? (() => {});
  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
    if (err instanceof ModelRejected) return c.json({ error: err.message }, 422);
    log(`publish: unexpected error: ${err.message}`);
    return c.json({ error: "internal error" }, 500);
  });
  app.get(
    "/models",
    async (c) =>
      c.json({
        versions: options.registry.versions(),
        current: (await options.registry.currentVersion()) ?? null,
      }),
  );
  app.post("/models", async (c) => {
    const auth = c.req.header("authorization") ?? "";
    if (!options.token) {
      throw new HTTPException(403, {
        message: "uploads are disabled: EDGE_PUBLISH_TOKEN is not set",
      });
    }
    if (!constantTimeEqual(auth, `Bearer ${options.token}`)) {
      throw new HTTPException(401, { message: "missing or wrong bearer token" });
    }
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > maxBytes) {
      throw new HTTPException(413, { message: `upload larger than ${maxBytes} bytes` });
    }
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch (e) {
      throw new HTTPException(400, {
        message: `body is not multipart/form-data: ${(e as Error).message}`,
      });
    }
    const manifestField = form.get("manifest");
    if (manifestField === null) {
      throw new HTTPException(400, { message: "field 'manifest' is missing" });
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(
        typeof manifestField === "string" ? manifestField : await manifestField.text(),
      );
    } catch (e) {
      throw new HTTPException(400, {
        message: `field 'manifest' is not JSON: ${(e as Error).message}`,
      });
    }
    const files = new Map<string, Uint8Array>();
    let total = 0;
    for (const [name, value] of form.entries()) {
      if (name === "manifest" || typeof value === "string") continue;
      const bytes = new Uint8Array(await value.arrayBuffer());
      total += bytes.length;
      if (total > maxBytes) {
        throw new HTTPException(413, { message: `upload larger than ${maxBytes} bytes` });
      }
      files.set(name, bytes);
    }
    const installed = await options.registry.install({ manifest, files });
    log(`publish: installed model ${installed.version}`);
    if (options.host) {
      await options.host.swapTo(installed.version);
      log(`publish: now running model ${installed.version}`);
    } else {
      await options.registry.activate(installed.version);
    }
    return c.json({ version: installed.version, active: true }, 201);
  });
  return app;
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
