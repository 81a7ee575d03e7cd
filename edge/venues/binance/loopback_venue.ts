/**
 * A minimal Binance.US on 127.0.0.1 for tests of precision and metadata changes: the combined
 * depth stream (`/stream`, one delta every `intervalMs`), REST depth snapshots that bridge it
 * (`/api/v3/depth`, lastUpdateId = the last delta sent) and `/api/v3/exchangeInfo` rendered
 * from an instrument the test may swap. Prices and sizes are written as the test gives them,
 * so they can be finer than the published tick and lot.
 *
 * @module
 */

import type { Instrument } from "../../../core/market/instrument.ts";
import { metadataBody } from "../../simulator/metadata_bodies.ts";

/** What the loopback venue writes. */
export interface LoopbackBook {
  /** Snapshot bids and asks as [price, size] text. */
  readonly bids: readonly [string, string][];
  /** Snapshot asks. */
  readonly asks: readonly [string, string][];
  /** The bid level each delta sets, as [price, size] text (cycled). */
  readonly deltaBids: readonly [string, string][];
}

/** A running loopback venue. */
export interface LoopbackVenue {
  /** `http://127.0.0.1:<port>`. */
  readonly restUrl: string;
  /** `ws://127.0.0.1:<port>`. */
  readonly wsUrl: string;
  /** The instrument `exchangeInfo` publishes (replace it to change the metadata). */
  instrument: Instrument;
  /** REST snapshots served. */
  snapshots: number;
  /** Stops the server and its sockets. */
  stop(): Promise<void>;
}

/**
 * Starts the loopback venue.
 *
 * @param instrument The instrument `exchangeInfo` publishes at first.
 * @param book What the snapshots and deltas write.
 * @param intervalMs Spacing of the deltas, ms.
 */
export function startLoopbackBinance(
  instrument: Instrument,
  book: LoopbackBook,
  intervalMs = 20,
): LoopbackVenue {
  let u = 1000;
  const sockets = new Set<WebSocket>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  const venue: LoopbackVenue = {
    restUrl: "",
    wsUrl: "",
    instrument,
    snapshots: 0,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.close();
      await server.shutdown();
    },
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/stream") {
      const { socket, response } = Deno.upgradeWebSocket(req);
      const sym = venue.instrument.venueSymbol;
      socket.onopen = () => {
        sockets.add(socket);
        const t = setInterval(() => {
          if (socket.readyState !== WebSocket.OPEN) return;
          u++;
          const bid = book.deltaBids[u % book.deltaBids.length] as [string, string];
          const data = { e: "depthUpdate", E: Date.now(), s: sym, U: u, u, b: [bid], a: [] };
          socket.send(JSON.stringify({ stream: `${sym.toLowerCase()}@depth@100ms`, data }));
        }, intervalMs);
        timers.add(t);
      };
      socket.onclose = () => sockets.delete(socket);
      return response;
    }
    if (url.pathname === "/api/v3/depth") {
      venue.snapshots++;
      return Response.json({ lastUpdateId: u, bids: book.bids, asks: book.asks });
    }
    const meta = metadataBody(venue.instrument.venue, url.pathname, [venue.instrument]);
    return meta === undefined ? new Response("not found", { status: 404 }) : Response.json(meta);
  });
  const port = server.addr.port;
  return Object.assign(venue, {
    restUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
  });
}
