/** Options of {@linkcode NewsSourceError}. */
export interface NewsSourceErrorOptions extends ErrorOptions {
  /** Worth retrying soon (network error, timeout, 5xx). */
  readonly retriable?: boolean;
  /** The server asked to wait this long (429/503 `Retry-After`), ms. */
  readonly retryAfterMs?: number;
  /** HTTP status, if there was a response. */
  readonly status?: number;
}

/** A news source could not be read (network, HTTP status, body too large, not a feed). */
export class NewsSourceError extends Error {
  /** The source id, e.g. "newsapi" or "rss:https://...". */
  readonly source: string;
  /** Worth retrying soon. */
  readonly retriable: boolean;
  /** Server-requested wait (ms), if any. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status, if any. */
  readonly status: number | undefined;
  /**
   * @param source The source id.
   * @param message What went wrong.
   * @param options Retry hints and cause.
   */
  constructor(source: string, message: string, options: NewsSourceErrorOptions = {}) {
    super(`${source}: ${message}`, options);
    this.name = "NewsSourceError";
    this.source = source;
    this.retriable = options.retriable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** Why the Ollama scorer cannot be used at all for now. */
export type OllamaUnavailableReason = "unreachable" | "model_missing" | "timeouts";

/** Ollama cannot score right now (host down, model not pulled, repeated timeouts). */
export class OllamaUnavailableError extends Error {
  /** The reason, for the fallback note. */
  readonly reason: OllamaUnavailableReason;
  /**
   * @param reason Machine-readable reason.
   * @param message What happened and what to do.
   * @param options Optional cause.
   */
  constructor(reason: OllamaUnavailableReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "OllamaUnavailableError";
    this.reason = reason;
  }
}

/** The model answered, but not with a valid sentiment object (after the retries). */
export class OllamaReplyError extends Error {
  /**
   * @param message What was wrong with the reply.
   * @param options Optional cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "OllamaReplyError";
  }
}
