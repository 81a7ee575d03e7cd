import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ModelHost } from "./model_host.ts";
import { type ModelRegistry, ModelRejected } from "./model_registry.ts";

/** Options of {@linkcode publishApi}. */
export interface PublishApiOptions {
  /** Where uploads are installed. */
  registry: ModelRegistry;
  /** Host to hot-swap after a successful upload (optional). */
  host?: ModelHost;
  /**
   * The package's test run on its installed copy; it must make the version active when it
   * passes. Default: `host.swapTo` (load, input check, smoke inference, swap), or without a
   * host the same checks on a throwaway host.
   */
  test?: (version: string) => Promise<void>;
  /** Bearer token required for uploads (EDGE_PUBLISH_TOKEN). Without one, uploads are refused. */
  token?: string;
  /** Largest accepted upload, bytes, counted as the body streams in. Default 64 MiB. */
  maxBytes?: number;
  /** Log line sink. */
  log?: (line: string) => void;
}

/**
 * The edge's model-upload endpoint (Hono):
 * - `GET /models`: installed versions and the active one;
 * - `POST /models` (Bearer token): multipart form with `manifest` (JSON text) and the model
 *   files under the names the manifest lists. The body is counted as it streams in: past
 *   `maxBytes` the upload is refused with 413 without being buffered, chunked or not. The
 *   package is verified (version name, hashes, sizes, feature-spec hash), installed, and
 *   kept only when its test run passes (then it is live); a bad package is refused with 422,
 *   removed again, and the running model stays.
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
    const limited = limitBody(c.req.raw, maxBytes);
    let form: FormData;
    try {
      form = await limited.request.formData();
    } catch (e) {
      if (limited.exceeded()) {
        throw new HTTPException(413, { message: `upload larger than ${maxBytes} bytes` });
      }
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
    const test = options.test ?? ((v: string) => smokeTest(options.registry, options.host, v));
    const installed = await options.registry.installTested({ manifest, files }, test);
    log(`publish: installed model ${installed.version}; now running model ${installed.version}`);
    return c.json({ version: installed.version, active: true }, 201);
  });
  return app;
}

/** The default test run: load, input check and smoke inference, then the version is live. */
async function smokeTest(
  registry: ModelRegistry,
  host: ModelHost | undefined,
  version: string,
): Promise<void> {
  if (host) {
    await host.swapTo(version);
    return;
  }
  const probe = new ModelHost(registry);
  await probe.swapTo(version);
  await probe.release();
}

/** The request with its body counted as it streams; erroring once it passes `maxBytes`. */
function limitBody(req: Request, maxBytes: number): { request: Request; exceeded: () => boolean } {
  let total = 0;
  let over = false;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctl) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        over = true;
        ctl.error(new RangeError(`upload larger than ${maxBytes} bytes`));
      } else ctl.enqueue(chunk);
    },
  });
  const request = new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body ? req.body.pipeThrough(counter) : null,
  });
  return { request, exceeded: () => over };
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
