import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import {
  type ControlWriter,
  StoreNotReadyError,
} from "../../infra/store/trading/control_writer.ts";
import { bars, recentTrades } from "../../infra/store/dashboard/market_queries.ts";
import { buildOverview, storeStatus } from "../data/overview.ts";
import type { DashboardReader } from "../../infra/store/dashboard/store_reader.ts";
import {
  activeRun,
  controlsAfter,
  equityCurve,
  recentFills,
} from "../../infra/store/dashboard/trading_queries.ts";
import type { LiveHub } from "../live/live_hub.ts";
import type { StorePoller } from "../live/store_poller.ts";
import { CONTROL_COMMANDS } from "../live/types.ts";
import { bearerMatches, sameOrigin } from "./auth.ts";
import { staticRoutes } from "./static_routes.ts";

/** What the app serves from. */
export interface AppDeps {
  /** Read-only store. */
  reader: DashboardReader;
  /** The poller (decoder and live books). */
  poller: StorePoller;
  /** Server-sent-event fan-out. */
  hub: LiveHub;
  /** Bearer token for controls; undefined = read-only dashboard. */
  token?: string;
  /** Where control commands go; required for controls to work. */
  controls?: ControlWriter;
  /** Directory of index.html, app.js, app.css. */
  staticDir: string;
  /** Clock, ms. */
  now?: () => number;
  /** Log sink for control actions and errors. */
  log?: (line: string) => void;
  /** Remote address of a request (from the server's connection info). */
  remoteAddr?: (req: Request) => string | undefined;
}

const venueSymbol = {
  venue: z.string().regex(/^[a-z_]{2,20}$/, "expected a venue id like binance"),
  symbol: z.string().regex(/^[A-Z0-9]{2,10}\/[A-Z0-9]{2,10}$/, "expected a symbol like BTC/USDT"),
};
const limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

// One error shape for validation failures: throw, and let onError answer.
const validationHook = (
  result: {
    success: boolean;
    error?: { issues: readonly { path: PropertyKey[]; message: string }[] };
  },
): void => {
  if (result.success) return;
  const text = (result.error?.issues ?? []).map((i) =>
    `${i.path.map(String).join(".") || "(request)"}: ${i.message}`
  ).join("; ");
  throw new HTTPException(400, { message: `invalid request: ${text}` });
};

/**
 * Builds the dashboard's Hono app: the JSON API, the event stream, the control routes and the
 * static UI. No CORS headers are ever sent; state changes are POST only, with the bearer token.
 */
export function createApp(deps: AppDeps): Hono {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  const controlsEnabled = deps.token !== undefined && deps.controls !== undefined;
  const { reader } = deps;

  const api = new Hono()
    .get("/health", async (c) =>
      c.json({
        ok: true,
        store: await storeStatus(reader),
        clients: deps.hub.clients,
        events_published: deps.hub.published,
        clients_dropped: deps.hub.dropped,
        controls_enabled: controlsEnabled,
      }))
    .get("/overview", async (c) =>
      c.json(
        await buildOverview({
          reader,
          decoder: deps.poller.decoder,
          books: deps.poller.books,
          limits: deps.poller.limits,
          controlsEnabled,
          now: now(),
        }),
      ))
    .get(
      "/bars",
      zValidator(
        "query",
        z.strictObject({ ...venueSymbol, limit: limit(5000, 500) }),
        validationHook,
      ),
      async (c) => c.json(await bars(reader, deps.poller.decoder, c.req.valid("query"))),
    )
    .get(
      "/depth",
      zValidator(
        "query",
        z.strictObject({ ...venueSymbol, levels: limit(500, 50) }),
        validationHook,
      ),
      (c) => {
        const q = c.req.valid("query");
        const depth = deps.poller.books.depth(`${q.venue} ${q.symbol}`, q.levels);
        if (!depth) throw new HTTPException(404, { message: `no book for ${q.venue} ${q.symbol}` });
        return c.json(depth);
      },
    )
    .get(
      "/trades",
      zValidator("query", z.strictObject({ limit: limit(1000, 50) }), validationHook),
      async (c) =>
        c.json(await recentTrades(reader, deps.poller.decoder, c.req.valid("query").limit)),
    )
    .get(
      "/fills",
      zValidator("query", z.strictObject({ limit: limit(5000, 100) }), validationHook),
      async (c) =>
        c.json(
          await recentFills(
            reader,
            deps.poller.decoder,
            await activeRun(reader),
            c.req.valid("query").limit,
          ),
        ),
    )
    .get(
      "/equity",
      zValidator("query", z.strictObject({ points: limit(20_000, 2000) }), validationHook),
      async (c) =>
        c.json(await equityCurve(reader, await activeRun(reader), c.req.valid("query").points)),
    )
    .get(
      "/controls",
      zValidator("query", z.strictObject({ limit: limit(500, 50) }), validationHook),
      async (c) => c.json(await controlsAfter(reader, -1, c.req.valid("query").limit)),
    )
    .get("/stream", (c) => {
      if (deps.hub.full) throw new HTTPException(503, { message: "too many event-stream clients" });
      // The stream ends when the client goes away (the body is cancelled).
      const body = deps.hub.connect();
      return c.body(body, 200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      });
    })
    .post(
      "/control/:command",
      zValidator("param", z.strictObject({ command: z.enum(CONTROL_COMMANDS) }), validationHook),
      async (c) => {
        const { command } = c.req.valid("param");
        const addr = deps.remoteAddr?.(c.req.raw) ?? "unknown";
        const source = `dashboard@${addr}`;
        if (!sameOrigin(c.req.header("origin"), c.req.header("host"))) {
          log(`control ${command} from ${source} refused: cross-origin request`);
          throw new HTTPException(403, { message: "cross-origin requests are refused" });
        }
        if (!controlsEnabled) {
          log(`control ${command} from ${source} refused: dashboard is read-only`);
          throw new HTTPException(403, {
            message: "the dashboard is read-only: set DASHBOARD_TOKEN to enable controls",
          });
        }
        if (!await bearerMatches(c.req.header("authorization"), deps.token)) {
          log(`control ${command} from ${source} refused: missing or wrong bearer token`);
          throw new HTTPException(401, { message: "a valid bearer token is required" });
        }
        let row;
        try {
          row = deps.controls!.append(command, source, now());
        } catch (e) {
          if (!(e instanceof StoreNotReadyError)) throw e;
          log(`control ${command} from ${source} failed: ${e.message}`);
          throw new HTTPException(503, { message: e.message });
        }
        log(
          `control ${command} from ${source} logged as #${row.id} at ${
            new Date(row.ts).toISOString()
          }`,
        );
        return c.json(row, 202);
      },
    )
    .all("/control/:command", () => {
      throw new HTTPException(405, { message: "controls accept POST only" });
    });

  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    c.header("x-frame-options", "DENY");
  });
  app.route("/api", api);
  app.route("/", staticRoutes(deps.staticDir));
  app.notFound((c) => c.json({ error: `not found: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
    log(`error on ${c.req.method} ${c.req.path}: ${err.name}: ${err.message}`);
    return c.json({ error: "internal error (see the server log)" }, 500);
  });
  return app;
}
