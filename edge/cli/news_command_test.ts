import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { parse, stringify } from "yaml";
import { main } from "../main.ts";
import { startFakeOllama } from "../news/testing/fake_ollama.ts";
import { closedPort, serveLoopback } from "../news/testing/loopback_server.ts";
import { memoryOutput } from "../../infra/cli/output.ts";
import { fromFileUrl } from "../../infra/file_url.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const TESTDATA = `${ROOT}testdata/news/`;

/** A config.yaml copy with news settings changed, in a fresh temp dir. */
async function tempConfig(news: Record<string, unknown>): Promise<{ dir: string; config: string }> {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-news-" });
  const doc = parse(await Deno.readTextFile(`${ROOT}config.yaml`));
  Object.assign(doc.news, news);
  await Deno.writeTextFile(`${dir}/config.yaml`, stringify(doc));
  return { dir, config: `${dir}/config.yaml` };
}

function count(db: string, sql: string): number {
  const d = new DatabaseSync(db);
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    d.close();
  }
}

Deno.test("news --once --bundled --no-llm --json prints one summary and stores scored articles", async () => {
  const { dir, config } = await tempConfig({});
  const out = memoryOutput();
  const code = await main(
    [
      "news",
      "--once",
      "--bundled",
      "--no-llm",
      "--json",
      "--config",
      config,
      "--store",
      `${dir}/n.db`,
    ],
    out,
  );
  assert.equal(code, 0, out.err.join("\n"));
  assert.equal(out.out.length, 1);
  const s = JSON.parse(out.out[0]!);
  assert.deepEqual(s.sources.map((o: { status: string }) => o.status), ["ok", "ok", "ok"]);
  assert.equal(s.inserted, 18);
  assert.deepEqual(s.scoring.by_scorer, { "lexicon:v1": 18 });
  assert.equal(s.scoring.llm, "off");
  assert.equal(s.pending, 0);
  assert.equal(
    count(`${dir}/n.db`, "SELECT COUNT(*) AS n FROM news_sentiment_hourly WHERE symbol = 'ALL'"),
    5,
  );
});

Deno.test("news --once reads loopback feeds, scores with Ollama, and news show escapes headlines", async () => {
  const evil = `<?xml version="1.0"?><rss><channel><title>Evil</title>
    <item><title>BTC \x1b[2J\x1b[31mcleared your screen</title><link>https://evil.example/1</link></item>
  </channel></rss>`;
  const feeds = await serveLoopback(() =>
    new Response(evil, { headers: { "content-type": "text/xml" } })
  );
  const ollama = await startFakeOllama();
  const { dir, config } = await tempConfig({
    rss_feeds: [`${feeds.url}/rss`, `file://${TESTDATA}chain_ledger_atom.xml`],
    ollama_host: ollama.url,
  });
  try {
    const out = memoryOutput();
    assert.equal(
      await main(["news", "--once", "--config", config, "--store", `${dir}/n.db`], out),
      0,
    );
    const text = out.out.join("\n");
    assert.match(text, /scored 7: ollama:qwen3 7; model latency \d+ ms\/article/);
    assert.match(text, /new articles 7; hourly rows rewritten \d+; unscored 0/);
    const show = memoryOutput();
    assert.equal(
      await main(["news", "show", "--config", config, "--store", `${dir}/n.db`], show),
      0,
    );
    const shown = show.out.join("\n");
    assert.ok(!shown.includes("\x1b"), "no raw escape reaches the terminal");
    assert.match(shown, /BTC \\x1b\[2J\\x1b\[31mcleared your screen/);
    assert.match(shown, /<b>SEC<\/b> delays decision/);
    assert.match(shown, /hour \(UTC\)\s+symbol count/);
    assert.match(
      shown,
      /source health\n[\s\S]* {2}rss:http:\/\/127\.0\.0\.1:\d+\/rss: ok at .*; 1 attempts, 0 failed, 1 new articles/,
    );
    const stored = new DatabaseSync(`${dir}/n.db`);
    const row = stored.prepare(
      "SELECT title FROM news_articles WHERE url = 'https://evil.example/1'",
    ).get();
    stored.close();
    assert.equal(
      (row as { title: string }).title,
      "BTC \x1b[2J\x1b[31mcleared your screen",
      "stored as received",
    );
  } finally {
    await Promise.all([feeds.close(), ollama.close()]);
  }
});

Deno.test("news check says what to run when Ollama or the model is missing", async () => {
  const ollama = await startFakeOllama({ models: ["gemma3:1b"] });
  try {
    const cases = [
      [
        { ollama_host: ollama.url, ollama_model: "gemma3:1b" },
        0,
        /configured model gemma3:1b: present/,
      ],
      [
        { ollama_host: ollama.url, ollama_model: "qwen3" },
        1,
        /"qwen3" is missing\. Run:\n {2}ollama pull qwen3\nor set news\.ollama_model in config\.yaml to one of: gemma3:1b/,
      ],
      [
        { ollama_host: `http://127.0.0.1:${closedPort()}` },
        1,
        /not reachable .*Connection refused[\s\S]* {2}ollama serve\n {2}ollama pull qwen3/,
      ],
    ] as const;
    for (const [news, code, re] of cases) {
      const { config } = await tempConfig(news);
      const out = memoryOutput();
      assert.equal(await main(["news", "check", "--config", config], out), code);
      assert.match(out.out.join("\n"), re);
    }
    const { config } = await tempConfig({ ollama_host: ollama.url, ollama_model: "gemma3:1b" });
    const json = memoryOutput();
    await main(["news", "check", "--json", "--config", config], json);
    assert.deepEqual(JSON.parse(json.out[0]!).models, ["gemma3:1b"]);
  } finally {
    await ollama.close();
  }
});

Deno.test("news rejects bad usage with exit code 2", async () => {
  const out = memoryOutput();
  assert.equal(await main(["news", "--bogus"], out), 2);
  assert.match(out.err.at(-1)!, /usage: deno task news/);
  assert.equal(await main(["news", "frobnicate"], out), 2);
  assert.equal(await main(["news", "--once", "--feeds", "gopher://x"], out), 2);
  assert.equal(await main(["news", "show", "--limit", "-3"], out), 2);
});

Deno.test("a crash between fetch and scoring loses nothing: the next run scores the articles", async () => {
  // The model takes a minute per article, so the first run is still scoring when it is killed.
  const ollama = await startFakeOllama({ delayMs: 60_000 });
  const { dir, config } = await tempConfig({ ollama_host: ollama.url, ollama_timeout_s: 120 });
  const db = `${dir}/n.db`;
  const args = [
    "run",
    "-A",
    `${ROOT}edge/main.ts`,
    "news",
    "--once",
    "--bundled",
    "--config",
    config,
    "--store",
    db,
  ];
  try {
    const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" })
      .spawn();
    const deadline = Date.now() + 30_000;
    while (ollama.chats.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(ollama.chats.length > 0, "the first run reached scoring");
    child.kill("SIGKILL");
    await child.status;
    assert.equal(count(db, "SELECT COUNT(*) AS n FROM news_articles"), 18);
    assert.equal(count(db, "SELECT COUNT(*) AS n FROM news_articles WHERE scored_at IS NULL"), 18);

    ollama.behaviour.delayMs = 0;
    const out = memoryOutput();
    assert.equal(
      await main(["news", "--once", "--bundled", "--json", "--config", config, "--store", db], out),
      0,
    );
    const s = JSON.parse(out.out[0]!);
    assert.equal(s.inserted, 0, "nothing fetched twice");
    assert.equal(s.scoring.scored, 18);
    assert.equal(s.pending, 0);
    assert.equal(
      count(db, "SELECT COUNT(*) AS n FROM news_articles WHERE scorer = 'ollama:qwen3'"),
      18,
    );
  } finally {
    await ollama.close();
  }
});

Deno.test("news bench prints lexicon throughput and the (here fake) model latency", async () => {
  const ollama = await startFakeOllama({ delayMs: 5 });
  try {
    const { config } = await tempConfig({ ollama_host: ollama.url });
    const out = memoryOutput();
    assert.equal(await main(["news", "bench", "--rounds", "2000", "--config", config], out), 0);
    assert.match(
      out.out[0]!,
      /^lexicon: 2,000 articles \(headline \+ summary\), [\d,]+ articles\/s on one core$/,
    );
    assert.match(
      out.out[1]!,
      /^ollama qwen3 at http:\/\/127\.0\.0\.1:\d+: \d+ ms\/article mean, \d+ ms max over 8 sequential requests$/,
    );
    assert.equal(ollama.chats.length, 8);
    const off = memoryOutput();
    await main(["news", "bench", "--rounds", "10", "--no-llm", "--config", config], off);
    assert.equal(off.out[1], "ollama: not measured: disabled (--no-llm)");
  } finally {
    await ollama.close();
  }
});
