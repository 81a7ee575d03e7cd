import { parseRetryAfter } from "../../core/backoff.ts";
import { NewsSourceError } from "./news_errors.ts";

/** A response body read within limits. */
export interface FetchedBody {
  /** HTTP status (200 for files). */
  readonly status: number;
  /** Response headers (empty for files). */
  readonly headers: Headers;
  /** The body bytes (empty for 304). */
  readonly bytes: Uint8Array;
}

/** Options of {@linkcode fetchLimited}. */
export interface FetchLimitedOptions {
  /** Source id, for errors. */
  readonly source: string;
  /** Whole-request timeout (ms), body included. */
  readonly timeoutMs: number;
  /** Larger bodies are refused. */
  readonly maxBytes: number;
  /** Request headers. */
  readonly headers?: Record<string, string>;
  /** The fetch to use (tests). */
  readonly fetch?: typeof fetch;
  /** Clock for Retry-After dates. */
  readonly now: () => number;
}

/** User agent sent to news sources. */
export const USER_AGENT = "TickerML-news/0.1 (+paper-trading research bot)";

/**
 * GETs `url`, reading at most `maxBytes` of body within `timeoutMs`. Statuses 2xx and
 * 304 are returned; others become a {@linkcode NewsSourceError} (5xx, 408 and 429
 * retriable, with `Retry-After` when the server sent one).
 *
 * @throws {NewsSourceError} On network errors, timeouts, bad statuses, oversized bodies.
 */
export async function fetchLimited(
  url: string,
  options: FetchLimitedOptions,
): Promise<FetchedBody> {
  const { source } = options;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { "user-agent": USER_AGENT, ...options.headers },
      redirect: "follow",
      signal,
    });
  } catch (e) {
    throw new NewsSourceError(source, `request failed: ${describe(e, options.timeoutMs)}`, {
      retriable: true,
      cause: e,
    });
  }
  const status = response.status;
  if (status === 304 || (status >= 200 && status < 300)) {
    const bytes = status === 304
      ? new Uint8Array()
      : await readLimited(response, options.maxBytes, source, options.timeoutMs);
    return { status, headers: response.headers, bytes };
  }
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), options.now());
  const snippet = await readLimited(response, 2048, source, options.timeoutMs, true).catch(() =>
    new Uint8Array()
  );
  const text = new TextDecoder().decode(snippet).replace(/\s+/g, " ").trim().slice(0, 200);
  throw new NewsSourceError(source, `HTTP ${status}${text ? `: ${text}` : ""}`, {
    retriable: status >= 500 || status === 408 || status === 429,
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/**
 * Reads a local feed file, refusing files over `maxBytes`.
 *
 * @throws {NewsSourceError} When the file is missing, unreadable or too large.
 */
export async function readFileLimited(
  path: string,
  options: { source: string; maxBytes: number },
): Promise<FetchedBody> {
  try {
    const info = await Deno.stat(path);
    if (info.size > options.maxBytes) {
      throw new NewsSourceError(
        options.source,
        `file is ${info.size} bytes, over the ${options.maxBytes}-byte limit`,
      );
    }
    return { status: 200, headers: new Headers(), bytes: await Deno.readFile(path) };
  } catch (e) {
    if (e instanceof NewsSourceError) throw e;
    throw new NewsSourceError(options.source, `cannot read ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

async function readLimited(
  response: Response,
  maxBytes: number,
  source: string,
  timeoutMs: number,
  truncate = false,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (!truncate && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new NewsSourceError(
      source,
      `body of ${declared} bytes is over the ${maxBytes}-byte limit`,
    );
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        if (truncate) {
          chunks.push(value.subarray(0, value.byteLength - (size - maxBytes)));
          size = maxBytes;
          break;
        }
        throw new NewsSourceError(source, `body is over the ${maxBytes}-byte limit`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof NewsSourceError) throw e;
    throw new NewsSourceError(source, `reading the body failed: ${describe(e, timeoutMs)}`, {
      retriable: true,
      cause: e,
    });
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function describe(e: unknown, timeoutMs: number): string {
  if (e instanceof DOMException && (e.name === "TimeoutError" || e.name === "AbortError")) {
    return `timed out after ${timeoutMs} ms`;
  }
  return e instanceof Error ? e.message : String(e);
}
