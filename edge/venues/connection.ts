/**
 * One venue WebSocket kept alive: reconnects with exponential backoff and jitter,
 * closes a silent socket (watchdog), and shuts down cleanly. Venue adapters give
 * it the URL (from configuration, so tests point it at the loopback simulator)
 * and handle the frames.
 *
 * @module
 */

import { backoffDelay } from "../../core/backoff.ts";

/** Reconnect and watchdog settings of a {@linkcode WsConnection}. */
export interface ConnectionOptions {
  /** Name for logs, e.g. "kraken". */
  readonly name: string;
  /** URL to connect to; called on every (re)connect (KuCoin needs a fresh token each time). */
  readonly url: () => string | Promise<string>;
  /** Called once the socket is open; send subscriptions here. */
  readonly onOpen: (send: (text: string) => void) => void | Promise<void>;
  /** Called for every text frame with its local receive time (epoch ms). */
  readonly onMessage: (text: string, receiveTime: number) => void;
  /** Called when a socket closes (before the reconnect delay). */
  readonly onClose?: (info: { code: number; reason: string; silent: boolean }) => void;
  /** Called when opening fails (bad URL, refused, token request failed). */
  readonly onError?: (error: Error) => void;
  /** First reconnect delay, ms. Default 1,000. */
  readonly initialDelayMs?: number;
  /** Largest reconnect delay, ms. Default 60,000. */
  readonly maxDelayMs?: number;
  /** Fraction of the delay randomized away (0..1). Default 0.5. */
  readonly jitter?: number;
  /** Close the socket when no frame arrived for this long, ms. Default 30,000. */
  readonly silenceTimeoutMs?: number;
  /**
   * Reconnect proactively after this long, ms (Binance and KuCoin close connections at
   * 24 h; reconnecting a little earlier, at a jittered time, avoids every symbol
   * re-snapshotting at once). Default: never.
   */
  readonly maxAgeMs?: number;
  /**
   * A socket that stayed open this long resets the reconnect backoff when it closes, ms
   * (a server that sends one frame and closes is not reconnected at the initial delay forever).
   * Default 30,000.
   */
  readonly stableAfterMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Random source in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

/** Counters of a {@linkcode WsConnection}. */
export interface ConnectionCounters {
  /** Sockets opened. */
  opens: number;
  /** Sockets closed (by the server, an error, the watchdog or shutdown). */
  closes: number;
  /** Sockets closed by the silence watchdog. */
  silenceTimeouts: number;
  /** Failed connection attempts. */
  failures: number;
  /** Frames received. */
  frames: number;
}

/** A self-healing WebSocket; see the module documentation. */
export class WsConnection {
  /** Counters since construction. */
  readonly counters: ConnectionCounters = {
    opens: 0,
    closes: 0,
    silenceTimeouts: 0,
    failures: 0,
    frames: 0,
  };
  readonly #o: ConnectionOptions;
  readonly #now: () => number;
  #ws: WebSocket | undefined;
  #attempt = 0;
  #stopped = true;
  #lastFrameAt = 0;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #closed: PromiseWithResolvers<void> | undefined;
  #silentClose = false;

  /** @param options URL, handlers, backoff and watchdog settings. */
  constructor(options: ConnectionOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** True while a socket is open. */
  get open(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Starts connecting (and reconnecting until {@linkcode WsConnection.stop}). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const every = Math.max(50, Math.floor((this.#o.silenceTimeoutMs ?? 30_000) / 4));
    this.#watchdog = setInterval(() => this.#checkSilence(), every);
    void this.#connect();
  }

  /** Sends a text frame; returns false when no socket is open. */
  send(text: string): boolean {
    if (!this.open) return false;
    (this.#ws as WebSocket).send(text);
    return true;
  }

  /** Closes the current socket on purpose; the connection reconnects after backoff. */
  drop(reason = "client drop"): void {
    try {
      this.#ws?.close(1000, reason);
    } catch { /* already closing */ }
  }

  /** Stops for good: clears timers, closes the socket, resolves when it is closed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#watchdog);
    clearTimeout(this.#retry);
    const ws = this.#ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      this.#closed = Promise.withResolvers<void>();
      try {
        ws.close(1000, "shutdown");
      } catch {
        this.#closed.resolve();
      }
      await this.#closed.promise;
    }
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(await this.#o.url());
    } catch (e) {
      this.counters.failures++;
      this.#o.onError?.(e instanceof Error ? e : new Error(String(e)));
      this.#schedule();
      return;
    }
    if (this.#stopped) {
      ws.onopen = () => ws.close(1000, "shutdown");
      return;
    }
    this.#ws = ws;
    let opened = false;
    let openedAt = 0;
    let ageTimer: ReturnType<typeof setTimeout> | undefined;
    ws.onopen = () => {
      opened = true;
      openedAt = this.#now();
      if (this.#o.maxAgeMs) {
        const age = this.#o.maxAgeMs * (1 - 0.05 * (this.#o.random ?? Math.random)());
        ageTimer = setTimeout(() => this.drop("connection age limit"), age);
      }
      this.counters.opens++;
      this.#lastFrameAt = this.#now();
      void Promise.resolve(this.#o.onOpen((t) => this.send(t))).catch((e) =>
        this.#o.onError?.(e instanceof Error ? e : new Error(String(e)))
      );
    };
    ws.onmessage = (ev) => {
      this.#lastFrameAt = this.#now();
      this.counters.frames++;
      const data = ev.data;
      this.#o.onMessage(
        typeof data === "string" ? data : new TextDecoder().decode(data),
        this.#now(),
      );
    };
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      clearTimeout(ageTimer);
      if (this.#ws === ws) this.#ws = undefined;
      if (opened) this.counters.closes++;
      else this.counters.failures++;
      // Only a connection that stayed up a while starts the backoff afresh.
      if (opened && this.#now() - openedAt >= (this.#o.stableAfterMs ?? 30_000)) this.#attempt = 0;
      const silent = this.#silentClose;
      this.#silentClose = false;
      this.#o.onClose?.({ code: ev.code, reason: ev.reason, silent });
      if (this.#closed) this.#closed.resolve();
      this.#schedule();
    };
  }

  #schedule(): void {
    if (this.#stopped) return;
    const delay = backoffDelay(++this.#attempt, {
      baseMs: this.#o.initialDelayMs ?? 1_000,
      maxMs: this.#o.maxDelayMs ?? 60_000,
      jitter: this.#o.jitter ?? 0.5,
      random: this.#o.random ?? Math.random,
    });
    this.#retry = setTimeout(() => void this.#connect(), delay);
  }

  #checkSilence(): void {
    const limit = this.#o.silenceTimeoutMs ?? 30_000;
    if (!this.open || this.#now() - this.#lastFrameAt <= limit) return;
    this.counters.silenceTimeouts++;
    this.#silentClose = true;
    this.drop("silence watchdog");
  }
}
