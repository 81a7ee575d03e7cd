import { backoffDelay } from "../../core/backoff.ts";
import { LIVE_EVENT_TYPES, type LiveEvent } from "../live/types.ts";

/**
 * Reconnection delay after `attempt` failed connections: 0.5 s doubling to 30 s, with up to
 * 20 % jitter from `random` (so many pages do not reconnect in step).
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  return backoffDelay(Math.max(0, attempt) + 1, {
    baseMs: 500,
    maxMs: 30_000,
    jitter: -0.2,
    random,
  });
}

/** Callbacks of {@linkcode EventStreamClient}. */
export interface StreamHandlers {
  /** The stream (re)opened: reload the overview, then the events that follow apply on top. */
  onOpen(): Promise<void> | void;
  /** A batch of events arrived (in order). */
  onEvents(events: LiveEvent[]): void;
  /** The stream dropped; it reconnects after `retryInMs`. */
  onDown(retryInMs: number): void;
}

/**
 * Keeps one `EventSource` to the server's stream open: on error it closes it and reconnects with
 * {@linkcode reconnectDelay}; events are delivered in batches (every 100 ms) and held back until
 * `onOpen` (the overview reload) has finished.
 */
export class EventStreamClient {
  readonly #url: string;
  readonly #h: StreamHandlers;
  #source: EventSource | undefined;
  #attempt = 0;
  #pending: LiveEvent[] = [];
  #ready = false;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param url Stream URL.
   * @param handlers Callbacks.
   */
  constructor(url: string, handlers: StreamHandlers) {
    this.#url = url;
    this.#h = handlers;
  }

  /** Opens the stream. */
  start(): void {
    this.#connect();
  }

  /** Closes it for good. */
  stop(): void {
    this.#source?.close();
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#flushTimer);
  }

  #connect(): void {
    this.#ready = false;
    this.#pending = [];
    const source = new EventSource(this.#url);
    this.#source = source;
    source.onopen = async () => {
      this.#attempt = 0;
      try {
        await this.#h.onOpen();
        this.#ready = true;
        this.#schedule();
      } catch {
        this.#down(source);
      }
    };
    source.onerror = () => this.#down(source);
    for (const type of LIVE_EVENT_TYPES) {
      source.addEventListener(type, (m) => {
        this.#pending.push({ type, data: JSON.parse((m as MessageEvent).data) } as LiveEvent);
        if (this.#ready) this.#schedule();
      });
    }
  }

  #schedule(): void {
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      const batch = this.#pending;
      this.#pending = [];
      if (batch.length > 0) this.#h.onEvents(batch);
    }, 100);
  }

  #down(source: EventSource): void {
    if (source !== this.#source) return;
    source.close();
    this.#source = undefined;
    const delay = reconnectDelay(this.#attempt++);
    this.#h.onDown(delay);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }
}
