/**
 * Where performance alerts go besides the store: a log line and, optionally, a
 * webhook that receives the alert as JSON. A failing webhook is logged, never fatal.
 *
 * @module
 */

import type { Alert } from "../../core/trading/alerts.ts";

/**
 * Builds the alert handler of the paper trader.
 *
 * @param options Webhook URL (optional) and the log function (stderr lines).
 * @returns An async handler for each alert.
 */
export function alertSink(
  options: { webhook?: string | undefined; log: (line: string) => void },
): (a: Alert) => Promise<void> {
  return async (a: Alert) => {
    options.log(`alert ${new Date(a.time).toISOString()} ${a.message}`);
    if (!options.webhook) return;
    try {
      const res = await fetch(options.webhook, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(a),
      });
      await res.body?.cancel();
      if (!res.ok) options.log(`alert webhook answered ${res.status}`);
    } catch (e) {
      options.log(`alert webhook failed: ${(e as Error).message}`);
    }
  };
}
