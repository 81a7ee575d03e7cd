/** A loopback HTTP server for tests (127.0.0.1, a free port). */
export interface LoopbackServer {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Requests received, in order. */
  readonly requests: { method: string; path: string; headers: Headers }[];
  /** Stops the server and waits for it. */
  close(): Promise<void>;
}

/**
 * Serves `handler` on 127.0.0.1 at a free port. The handler gets the request and an
 * abort signal that fires when the server closes (use it to end slow responses).
 */
export function serveLoopback(
  handler: (req: Request, signal: AbortSignal) => Response | Promise<Response>,
): Promise<LoopbackServer> {
  const stop = new AbortController();
  const requests: LoopbackServer["requests"] = [];
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      signal: stop.signal,
      onListen: ({ port }) => {
        resolve({
          url: `http://127.0.0.1:${port}`,
          requests,
          close: async () => {
            stop.abort();
            await server.finished;
          },
        });
      },
    }, (req) => {
      const u = new URL(req.url);
      requests.push({ method: req.method, path: u.pathname + u.search, headers: req.headers });
      return handler(req, stop.signal);
    });
  });
}

/** Resolves after `ms`, or early when `signal` aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/** A free loopback port with nothing listening (for connection-refused tests). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
