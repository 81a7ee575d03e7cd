import assert from "node:assert/strict";
import { parse } from "yaml";
import { parseConfig, parseDotEnv, secretsFromEnv } from "./config.ts";
import { ConfigError } from "./errors.ts";

const base = parse(await Deno.readTextFile(new URL("../config.yaml", import.meta.url)));

function withChange(change: (doc: Record<string, Record<string, unknown>>) => void): unknown {
  const doc = structuredClone(base);
  change(doc);
  return doc;
}

function issuesOf(doc: unknown): string[] {
  try {
    parseConfig(doc, "test.yaml");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.name, "ConfigError");
    assert.match(e.message, /^Invalid configuration in test\.yaml:/);
    return [...e.issues];
  }
  assert.fail("expected a ConfigError");
}

Deno.test("parseConfig() accepts the shipped config.yaml and freezes it", () => {
  const cfg = parseConfig(base, "config.yaml");
  assert.equal(cfg.storage.backend, "sqlite");
  assert.equal(cfg.exchanges.kraken?.symbols["BTC/USD"], "BTC/USD");
  assert.equal(cfg.trading.max_position_fraction, 0.25);
  assert.ok(Object.isFrozen(cfg.risk));
});

Deno.test("parseConfig() rejects an unknown key with its path", () => {
  assert.deepEqual(issuesOf(withChange((d) => (d.risk!.max_leverage = 3))), [
    "risk.max_leverage: unknown key",
  ]);
  assert.deepEqual(issuesOf({ ...base, extra: true }), ["extra: unknown key"]);
});

Deno.test("parseConfig() rejects a wrong type naming the expected type", () => {
  const issues = issuesOf(withChange((d) => (d.dashboard!.port = "5000")));
  assert.equal(issues.length, 1);
  assert.match(issues[0]!, /^dashboard\.port: .*expected number, received string/);
});

Deno.test("parseConfig() rejects out-of-range values, bad URLs and bad symbols", () => {
  const issues = issuesOf(withChange((d) => {
    d.trading!.max_position_fraction = 1.5;
    (d.exchanges!.kraken as Record<string, unknown>).ws_url = "ftp://x";
    d.symbols = ["btc-usd"] as unknown as Record<string, unknown>;
    d.model!.n_heads = 5;
  }));
  assert.equal(issues.length, 4, issues.join("\n"));
  assert.ok(issues.some((i) => i.startsWith("trading.max_position_fraction:")));
  assert.ok(issues.some((i) => i.startsWith("exchanges.kraken.ws_url: expected an http(s)")));
  assert.ok(issues.some((i) => i.startsWith("symbols.0: expected a symbol like BTC/USDT")));
  assert.ok(issues.some((i) => i === "model.n_heads: must divide d_model (128)"));
});

Deno.test("parseConfig() refuses secrets in the YAML and points to the environment", () => {
  const issues = issuesOf(withChange((d) => (d.news!.newsapi_key = "abc")));
  assert.deepEqual(issues, [
    "news.newsapi_key: secrets must not be in the YAML; set them in the environment or .env (see README)",
  ]);
});

Deno.test("parseConfig() reports a missing section", () => {
  const doc = structuredClone(base);
  delete doc.risk;
  assert.match(issuesOf(doc)[0]!, /^risk: .*expected object, received undefined/);
});

Deno.test("secretsFromEnv() and parseDotEnv() read secrets", () => {
  const env = parseDotEnv("# secrets\nNEWSAPI_KEY=abc\nexport DASHBOARD_TOKEN='t0k'\n\nOTHER=1\n");
  assert.deepEqual(secretsFromEnv(env), { newsApiKey: "abc", dashboardToken: "t0k" });
  assert.deepEqual(secretsFromEnv({ NEWSAPI_KEY: "" }), {});
  assert.throws(() => parseDotEnv("OK=1\nnot a line"), /\.env line 2/);
});

Deno.test("parseConfig() fills storage.postgres defaults and checks the schema name", () => {
  const cfg = parseConfig(
    withChange((d) => delete (d.storage as Record<string, unknown>).postgres),
    "x.yaml",
  );
  assert.equal(cfg.storage.postgres.timescale, "auto");
  assert.equal(cfg.storage.postgres.max_buffered_rows, 200_000);
  const issues = issuesOf(withChange((d) => {
    (d.storage!.postgres as Record<string, unknown>).schema = "Bad-Name";
  }));
  assert.deepEqual(issues, ["storage.postgres.schema: expected a lower-case SQL identifier"]);
});

Deno.test("parseConfig() accepts feed URLs, file:// URLs and paths, and rejects other schemes", () => {
  const feeds = [
    "https://x.example/rss",
    "file:///srv/feed.xml",
    "testdata/news/a.xml",
    "/abs/b.xml",
  ];
  const cfg = parseConfig(withChange((d) => (d.news!.rss_feeds = feeds)), "x.yaml");
  assert.deepEqual(cfg.news.rss_feeds, feeds);
  assert.equal(cfg.news.ollama_retries, 2);
  const issues = issuesOf(withChange((d) => (d.news!.rss_feeds = ["ftp://x.example/feed"])));
  assert.deepEqual(issues, [
    "news.rss_feeds.0: expected an http(s):// or file:// URL or a file path",
  ]);
});

Deno.test("parseConfig() rejects a trading.strategy that is not a known strategy name", () => {
  const issues = issuesOf(withChange((d) => (d.trading!.strategy = "yolo")));
  assert.equal(issues.length, 1);
  assert.match(issues[0]!, /^trading\.strategy: .*"flat"\|"buy-and-hold"\|"momentum"\|"imbalance"/);
  for (const name of ["flat", "buy-and-hold", "momentum", "imbalance"]) {
    assert.equal(
      parseConfig(withChange((d) => (d.trading!.strategy = name)), "t.yaml").trading.strategy,
      name,
    );
  }
});
