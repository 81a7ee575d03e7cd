import { delay, type LoopbackServer, serveLoopback } from "./loopback_server.ts";

/** A chat request as the fake received it. */
export interface FakeChat {
  readonly model: string;
  readonly messages: { role: string; content: string }[];
  readonly format: unknown;
  readonly stream: boolean;
  readonly think?: unknown;
  readonly options?: Record<string, unknown>;
}

/** Behaviour of the fake; change it between requests through `behaviour`. */
export interface FakeOllamaBehaviour {
  /** Models the host has (names as /api/tags lists them). */
  models: string[];
  /** Wait before answering a chat (ms); a function gets the 1-based chat count. */
  delayMs: number | ((n: number) => number);
  /** The model's reply text for a chat (JSON when it obeys the format). */
  reply: (chat: FakeChat, n: number) => string;
  /** Answer chat number n with this HTTP status and error instead (e.g. 500). */
  failWith?: (n: number) => number | undefined;
}

/** A running fake Ollama host. */
export interface FakeOllama extends LoopbackServer {
  /** Chats received. */
  readonly chats: FakeChat[];
  /** Mutable behaviour. */
  readonly behaviour: FakeOllamaBehaviour;
  /** Most chats in flight at once so far. */
  readonly maxInFlight: () => number;
}

const NOW = "2024-08-09T00:00:00.000000000Z";

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}

/**
 * Starts a fake Ollama server implementing the endpoints the `ollama` client uses,
 * with Ollama's response shapes and error bodies: GET /api/tags, GET /api/version,
 * POST /api/chat and /api/generate (stream true: NDJSON chunks; false: one object).
 * Unknown models get 404 `{"error":"model \"x\" not found, try pulling it first"}`,
 * bad bodies 400. Replies, delays and failures are scripted by `behaviour`.
 */
export async function startFakeOllama(
  init: Partial<FakeOllamaBehaviour> = {},
): Promise<FakeOllama> {
  const behaviour: FakeOllamaBehaviour = {
    models: ["qwen3:latest"],
    delayMs: 0,
    reply: () => JSON.stringify({ score: 0.5, confidence: 0.8, rationale: "fake model reply" }),
    ...init,
  };
  const chats: FakeChat[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await serveLoopback(async (req, signal) => {
    const path = new URL(req.url).pathname;
    if (path === "/api/version" && req.method === "GET") return json({ version: "0.9.6" });
    if (path === "/api/tags" && req.method === "GET") {
      return json({
        models: behaviour.models.map((name) => ({
          name,
          model: name,
          modified_at: NOW,
          size: 2_500_000_000,
          digest: "0".repeat(64),
          details: {
            parent_model: "",
            format: "gguf",
            family: name.split(":")[0],
            families: [name.split(":")[0]],
            parameter_size: "4B",
            quantization_level: "Q4_K_M",
          },
        })),
      });
    }
    if ((path === "/api/chat" || path === "/api/generate") && req.method === "POST") {
      let body: Record<string, unknown>;
      try {
        body = await req.json();
      } catch {
        return json({ error: "invalid character in request body" }, 400);
      }
      const model = typeof body.model === "string" ? body.model : "";
      if (!model) return json({ error: "model is required" }, 400);
      const known = behaviour.models.some((m) => m === model || m === `${model}:latest`);
      if (!known) return json({ error: `model "${model}" not found, try pulling it first` }, 404);
      const chat: FakeChat = {
        model,
        messages: path === "/api/chat"
          ? (body.messages as FakeChat["messages"] ?? [])
          : [{ role: "user", content: String(body.prompt ?? "") }],
        format: body.format,
        stream: body.stream !== false,
        think: body.think,
        options: body.options as Record<string, unknown>,
      };
      chats.push(chat);
      const n = chats.length;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const wait = typeof behaviour.delayMs === "function"
          ? behaviour.delayMs(n)
          : behaviour.delayMs;
        if (wait > 0) await delay(wait, signal);
        const status = behaviour.failWith?.(n);
        if (status) return json({ error: `fake failure ${status}` }, status);
        const content = behaviour.reply(chat, n);
        const stats = {
          done_reason: "stop",
          total_duration: 1_000_000,
          load_duration: 100_000,
          prompt_eval_count: 80,
          prompt_eval_duration: 300_000,
          eval_count: 30,
          eval_duration: 600_000,
        };
        const piece = (text: string, done: boolean) =>
          path === "/api/chat"
            ? { model, created_at: NOW, message: { role: "assistant", content: text }, done }
            : { model, created_at: NOW, response: text, done };
        if (!chat.stream) return json({ ...piece(content, true), ...stats });
        const half = Math.ceil(content.length / 2);
        const lines = [
          piece(content.slice(0, half), false),
          piece(content.slice(half), false),
          { ...piece("", true), ...stats },
        ].map((o) => JSON.stringify(o)).join("\n") + "\n";
        return new Response(lines, { headers: { "content-type": "application/x-ndjson" } });
      } finally {
        inFlight--;
      }
    }
    return new Response("404 page not found", { status: 404 });
  });
  return { ...server, chats, behaviour, maxInFlight: () => maxInFlight };
}
