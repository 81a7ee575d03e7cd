/**
 * Where performance alerts go besides the store: a log line and, optionally, a
 * webhook that receives the alert as JSON. The webhook is off the trading loop: the handler
 * returns at once, each post has a timeout, at most a few are in flight (further alerts are
 * logged and not posted, counted), and a failing webhook is logged, never fatal.
 *
 * @module
 */

import { redactSecrets } from "../../core/redact.ts";
import type { Alert } from "../../core/trading/risk/alerts.ts";

/** Options of {@linkcode alertSink}. */
export interface AlertSinkOptions {
  /** Webhook URL (optional). */
  readonly webhook?: string | undefined;
  /** Log function (stderr lines). */
  readonly log: (line: string) => void;
  /** Timeout of one webhook post, ms. Default 5,000. */
  readonly timeoutMs?: number;
  /** Posts in flight at most; alerts beyond are logged only. Default 4. */
  readonly maxInFlight?: number;
  /** The fetch to use (tests). */
  readonly fetch?: typeof fetch;
}

/** The alert handler: call it from the trading loop (it never waits on the network). */
export interface AlertHandler {
  /** Logs the alert and starts its webhook post in the background. */
  (a: Alert): void;
  /** Resolves when every post started so far has finished (shutdown, tests). */
  idle(): Promise<void>;
  /** Counters: posts sent, failed (incl. timeouts), skipped because too many were in flight. */
  readonly stats: { posted: number; failed: number; skipped: number };
}

/**
 * Builds the alert handler of the paper trader.
 *
 * @param options Webhook URL (optional), the log function, timeout and in-flight bound.
 * @returns A synchronous handler for each alert (with `idle()` to await pending posts).
 */
export function alertSink(options: AlertSinkOptions): AlertHandler {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxInFlight = options.maxInFlight ?? 4;
  const inFlight = new Set<Promise<void>>();
  const stats = { posted: 0, failed: 0, skipped: 0 };
  const post = async (a: Alert, url: string) => {
    try {
      const res = await (options.fetch ?? fetch)(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(a),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) {
        stats.failed++;
        options.log(`alert webhook answered ${res.status}`);
      } else stats.posted++;
    } catch (e) {
      stats.failed++;
      const msg = e instanceof Error && e.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : (e as Error).message;
      options.log(`alert webhook failed: ${redactSecrets(msg, [url])}`);
    }
  };
  const handler = ((a: Alert) => {
    options.log(`alert ${new Date(a.time).toISOString()} ${a.message}`);
    if (!options.webhook) return;
    if (inFlight.size >= maxInFlight) {
      stats.skipped++;
      options.log(`alert webhook busy (${inFlight.size} posts pending): alert not posted`);
      return;
    }
    const p = post(a, options.webhook).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }) as AlertHandler;
  handler.idle = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };
  Object.defineProperty(handler, "stats", { value: stats });
  return handler;
}
