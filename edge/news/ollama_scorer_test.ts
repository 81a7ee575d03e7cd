import assert from "node:assert/strict";
import { Ollama } from "ollama";
import { OllamaReplyError, OllamaUnavailableError } from "./news_errors.ts";
import {
  modelMatches,
  OllamaSentiment,
  parseReply,
  SENTIMENT_JSON_SCHEMA,
  SentimentReplySchema,
} from "./ollama_scorer.ts";
import { startFakeOllama } from "./testing/fake_ollama.ts";
import { closedPort } from "./testing/loopback_server.ts";

function scorer(host: string, model = "qwen3", timeoutMs = 2000, retries = 2): OllamaSentiment {
  return new OllamaSentiment({ host, model, timeoutMs, retries, retryDelayMs: () => 0 });
}

Deno.test("OllamaSentiment.score() sends a schema-constrained chat and validates the answer", async () => {
  const fake = await startFakeOllama({
    reply: () => JSON.stringify({ score: -0.7, confidence: 0.9, rationale: "An <b>exploit</b>." }),
  });
  try {
    const j = await scorer(fake.url).score("<em>Exchange</em> hacked", "<p>$200M stolen</p>");
    assert.deepEqual(j.score, {
      score: -0.7,
      confidence: 0.9,
      rationale: "An exploit.",
      scorer: "ollama:qwen3",
    });
    assert.equal(j.attempts, 1);
    const chat = fake.chats[0]!;
    assert.equal(chat.model, "qwen3");
    assert.equal(chat.stream, false);
    assert.equal(chat.think, false);
    assert.deepEqual(chat.format, SENTIMENT_JSON_SCHEMA);
    assert.equal(chat.options?.temperature, 0);
    assert.equal(chat.messages[0]!.role, "system");
    assert.equal(
      chat.messages[1]!.content,
      "<article>\nHeadline: Exchange hacked\nSummary: $200M stolen\n</article>",
    );
  } finally {
    await fake.close();
  }
});

Deno.test("OllamaSentiment.score() does not send think to models without a thinking mode", async () => {
  const fake = await startFakeOllama({ models: ["gemma3:1b"] });
  try {
    await scorer(fake.url, "gemma3:1b").score("Bitcoin rallies");
    assert.equal(fake.chats[0]!.think, undefined);
  } finally {
    await fake.close();
  }
});

Deno.test("OllamaSentiment.score() retries invalid JSON and out-of-range answers", async () => {
  const replies = [
    "Sure! Here is the sentiment: positive",
    JSON.stringify({ score: 3, confidence: 0.5, rationale: "too big" }),
    '```json\n{"score": 0.4, "confidence": 0.6, "rationale": "ok"}\n```',
  ];
  const fake = await startFakeOllama({ reply: (_c, n) => replies[n - 1]! });
  try {
    const j = await scorer(fake.url).score("Bitcoin rallies");
    assert.equal(j.attempts, 3);
    assert.equal(j.score.score, 0.4);
    fake.behaviour.reply = () => "{not json";
    await assert.rejects(
      () => scorer(fake.url, "qwen3", 2000, 1).score("x"),
      (e: unknown) =>
        e instanceof OllamaReplyError && e.name === "OllamaReplyError" &&
        /after 2 attempt\(s\): reply is not JSON/.test(e.message),
    );
    assert.equal(fake.chats.length, 5);
  } finally {
    await fake.close();
  }
});

Deno.test("OllamaSentiment.score() times out slow answers, retries, then gives up", async () => {
  const fake = await startFakeOllama({ delayMs: (n) => (n <= 2 ? 5_000 : 0) });
  try {
    const slow = scorer(fake.url, "qwen3", 150, 1);
    await assert.rejects(() => slow.score("Bitcoin"), (e: unknown) => {
      assert.ok(e instanceof OllamaReplyError);
      assert.match(e.message, /after 2 attempt\(s\): timed out/);
      return true;
    });
    const j = await slow.score("Bitcoin");
    assert.equal(j.attempts, 1);
  } finally {
    await fake.close();
  }
});

Deno.test("OllamaSentiment.score() retries a 500 and refuses a 400 without retrying", async () => {
  const fake = await startFakeOllama({
    failWith: (n) => (n === 1 ? 500 : n === 3 ? 400 : undefined),
  });
  try {
    const j = await scorer(fake.url).score("Ether rallies");
    assert.equal(j.attempts, 2);
    await assert.rejects(
      () => scorer(fake.url).score("x"),
      /Ollama refused the request: fake failure 400/,
    );
    assert.equal(fake.chats.length, 3);
  } finally {
    await fake.close();
  }
});

Deno.test("OllamaSentiment.score() reports a missing model and a refused connection at once", async () => {
  const fake = await startFakeOllama({ models: ["gemma3:1b"] });
  try {
    await assert.rejects(() => scorer(fake.url, "gemma3:4b").score("x"), (e: unknown) => {
      assert.ok(e instanceof OllamaUnavailableError);
      assert.equal(e.reason, "model_missing");
      assert.match(e.message, /run `ollama pull gemma3:4b`/);
      return true;
    });
    assert.equal(fake.chats.length, 0);
  } finally {
    await fake.close();
  }
  const host = `http://127.0.0.1:${closedPort()}`;
  await assert.rejects(() => scorer(host).score("x"), (e: unknown) => {
    assert.ok(e instanceof OllamaUnavailableError);
    assert.equal(e.reason, "unreachable");
    assert.match(e.message, /not reachable/);
    return true;
  });
});

Deno.test("OllamaSentiment.check() lists models and matches untagged names to :latest", async () => {
  const fake = await startFakeOllama({ models: ["qwen3:latest", "gemma3:1b"] });
  try {
    const ok = await scorer(fake.url).check();
    assert.equal(ok.reachable, true);
    assert.equal(ok.version, "0.9.6");
    assert.deepEqual(ok.models, ["qwen3:latest", "gemma3:1b"]);
    assert.equal(ok.modelPresent, true);
    assert.equal((await scorer(fake.url, "gemma3:4b").check()).modelPresent, false);
  } finally {
    await fake.close();
  }
  const down = await scorer(`http://127.0.0.1:${closedPort()}`).check();
  assert.equal(down.reachable, false);
  assert.match(down.error ?? "", /refused/i);
  assert.ok(modelMatches("qwen3", "qwen3:latest"));
  assert.ok(!modelMatches("qwen3", "qwen3:8b"));
  assert.ok(!modelMatches("gemma3:4b", "gemma3:1b"));
});

Deno.test("parseReply() strips think blocks and fences, cuts long rationales, rejects bad shapes", () => {
  assert.deepEqual(
    parseReply('<think>hmm</think>{"score":-1,"confidence":0,"rationale":"x"}'),
    { score: -1, confidence: 0, rationale: "x" },
  );
  const long = parseReply(JSON.stringify({ score: 0, confidence: 1, rationale: "y".repeat(500) }));
  assert.equal(long.rationale.length, 200);
  assert.throws(() => parseReply('{"score":0.1,"confidence":1.2,"rationale":"r"}'), /confidence/);
  assert.throws(() => parseReply('{"score":0.1,"confidence":1}'), /rationale/);
  assert.throws(() => parseReply(""), OllamaReplyError);
  assert.deepEqual(
    SENTIMENT_JSON_SCHEMA.required,
    Object.keys(SentimentReplySchema.shape),
    "the JSON schema sent and the zod schema agree",
  );
});

Deno.test("the fake Ollama streams NDJSON like the real server when asked to", async () => {
  const fake = await startFakeOllama({
    reply: () => '{"score":0.2,"confidence":0.5,"rationale":"ab"}',
  });
  try {
    const client = new Ollama({ host: fake.url });
    let text = "";
    let done = false;
    for await (
      const part of await client.chat({
        model: "qwen3",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      })
    ) {
      text += part.message.content;
      done = part.done;
    }
    assert.equal(text, '{"score":0.2,"confidence":0.5,"rationale":"ab"}');
    assert.ok(done);
    const gen = await client.generate({ model: "qwen3", prompt: "hi", stream: false });
    assert.equal(gen.response, '{"score":0.2,"confidence":0.5,"rationale":"ab"}');
  } finally {
    await fake.close();
  }
});
