import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import { main } from "../main.ts";
import { memoryOutput } from "../../infra/cli/output.ts";

Deno.test({
  name:
    "start runs the live pipeline against the configured venues and stops cleanly when none answers",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tickerml-start-" });
    const doc = parse(await Deno.readTextFile(new URL("../../config.yaml", import.meta.url)));
    // Loopback only: every venue points at a closed local port, no news feed.
    for (const v of Object.values(doc.exchanges) as Record<string, unknown>[]) {
      v.ws_url = "ws://127.0.0.1:9";
      v.rest_url = "http://127.0.0.1:9";
    }
    doc.news.rss_feeds = [];
    doc.storage.sqlite_path = `${dir}/live.db`;
    doc.model.registry_dir = `${dir}/registry`;
    doc.model.publish_port = 0;
    await Deno.writeTextFile(`${dir}/config.yaml`, stringify(doc));
    const out = memoryOutput();
    const code = await main([
      "start",
      "--config",
      `${dir}/config.yaml`,
      "--duration",
      "3",
      "--no-dashboard",
      "--json",
    ], out);
    assert.equal(code, 1, out.err.join("\n")); // nothing to decide on: no venue answered
    assert.ok(out.err.some((l) => l.includes("TickerML live (paper only)")));
    assert.ok(
      out.err.some((l) => l.includes("venues: binance_us, coinbase, kraken, kucoin")),
      out.err.join("\n"),
    );
    const s = JSON.parse(out.out.at(-1)!);
    assert.equal(s.events, 0);
    assert.equal(s.strategy, doc.trading.strategy);
    assert.equal(s.fills, 0);
  },
});
