import type { LiveEvent } from "./types.ts";

/** Options of {@linkcode LiveHub}. */
export interface LiveHubOptions {
  /**
   * Bytes a client may have queued (sent but not yet read) before it is dropped, so one slow
   * client cannot grow the server's memory. Default 1 MiB.
   */
  maxQueuedBytes?: number;
  /** Most clients at once; more are refused (the page retries with backoff). Default 100. */
  maxClients?: number;
}

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
  closed: boolean;
}

/**
 * Fans live events out to server-sent-event clients. Each event is encoded once
 * (`id`, `event`, `data` lines) and the same bytes are queued to every client; a client whose
 * queue exceeds the limit is disconnected (its page reconnects and reloads the overview).
 */
export class LiveHub {
  readonly #clients = new Set<Client>();
  readonly #encoder = new TextEncoder();
  readonly #maxQueued: number;
  readonly #maxClients: number;
  #nextId = 1;
  #dropped = 0;
  #sent = 0;

  /** @param options Limits. */
  constructor(options: LiveHubOptions = {}) {
    this.#maxQueued = options.maxQueuedBytes ?? 1 << 20;
    this.#maxClients = options.maxClients ?? 100;
  }

  /** Connected clients. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Clients dropped for reading too slowly, since start. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Events published since start. */
  get published(): number {
    return this.#sent;
  }

  /** Whether another client can connect. */
  get full(): boolean {
    return this.#clients.size >= this.#maxClients;
  }

  /**
   * Opens a stream for one client. It ends when `signal` aborts or the reader cancels.
   *
   * @param signal The request's abort signal.
   * @returns The body of a `text/event-stream` response.
   * @throws {RangeError} When {@linkcode LiveHub.full}.
   */
  connect(signal?: AbortSignal): ReadableStream<Uint8Array> {
    if (this.full) {
      throw new RangeError(
        `Cannot open an event stream: ${this.#maxClients} clients already connected`,
      );
    }
    let client: Client | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        client = { controller, closed: false };
        this.#clients.add(client);
        // The reconnection delay the browser uses if the page's own backoff is not running.
        controller.enqueue(this.#encoder.encode("retry: 2000\n\n"));
      },
      cancel: () => {
        if (client) this.#remove(client);
      },
    }, new ByteLengthQueuingStrategy({ highWaterMark: this.#maxQueued }));
    signal?.addEventListener("abort", () => {
      if (client) this.#close(client);
    }, { once: true });
    return stream;
  }

  /** Sends events to every client. */
  publish(events: readonly LiveEvent[]): void {
    if (events.length === 0) return;
    let text = "";
    for (const e of events) {
      text += `id: ${this.#nextId++}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`;
    }
    this.#sent += events.length;
    const bytes = this.#encoder.encode(text);
    for (const c of this.#clients) {
      if ((c.controller.desiredSize ?? 0) < bytes.length) {
        this.#dropped++;
        this.#close(c);
        continue;
      }
      c.controller.enqueue(bytes);
    }
  }

  /** Disconnects every client. */
  close(): void {
    for (const c of [...this.#clients]) this.#close(c);
  }

  #close(c: Client): void {
    this.#remove(c);
    if (c.closed) return;
    c.closed = true;
    try {
      c.controller.close();
    } catch {
      // Already closed or errored by the reader.
    }
  }

  #remove(c: Client): void {
    this.#clients.delete(c);
  }
}
