import { Hono } from "hono";
import { compress } from "hono/compress";
import { HTTPException } from "hono/http-exception";

/** Content-Security-Policy of the page: only this origin's script, style and stream. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // The chart library sets inline style attributes; scripts stay strictly same-origin.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const FILES: Record<string, string> = {
  "/": "index.html",
  "/app.js": "app.js",
  "/app.css": "app.css",
};

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/**
 * Serves the page and its bundle from `dir` (gzip when the client accepts it). A missing
 * bundle answers 503 naming the command that builds it.
 */
export function staticRoutes(dir: string): Hono {
  const app = new Hono();
  app.use(compress());
  for (const [route, file] of Object.entries(FILES)) {
    app.get(route, async (c) => {
      let body: Uint8Array;
      try {
        body = await Deno.readFile(`${dir}/${file}`);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) {
          throw new HTTPException(503, {
            message: `${file} is not built: run \`deno task build:web\``,
          });
        }
        throw e;
      }
      const ext = file.slice(file.lastIndexOf(".") + 1);
      c.header("content-type", TYPES[ext] ?? "application/octet-stream");
      c.header("cache-control", "no-cache");
      if (ext === "html") c.header("content-security-policy", PAGE_CSP);
      return c.body(body as Uint8Array<ArrayBuffer>);
    });
  }
  return app;
}
