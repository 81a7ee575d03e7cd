import type { LiveHub } from "./live_hub.ts";
import type { LiveSource } from "./store_poller.ts";

/** Options of {@linkcode PollLoop}. */
export interface PollLoopOptions {
  /** Poll period, ms. Default 500. */
  intervalMs?: number;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
  /** Called with an error of one poll; the loop keeps running. */
  onError?: (error: unknown) => void;
}

/**
 * Polls a {@linkcode LiveSource} every `intervalMs` and publishes what it returns to a
 * {@linkcode LiveHub}. A failing poll is reported and the next one runs as usual.
 */
export class PollLoop {
  readonly #source: LiveSource;
  readonly #hub: LiveHub;
  readonly #interval: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #errors = 0;

  /**
   * @param source Where events come from.
   * @param hub Where they go.
   * @param options Period, clock, error sink.
   */
  constructor(source: LiveSource, hub: LiveHub, options: PollLoopOptions = {}) {
    this.#source = source;
    this.#hub = hub;
    this.#interval = options.intervalMs ?? 500;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
  }

  /** Polls failed since start. */
  get errors(): number {
    return this.#errors;
  }

  /** Runs one poll now; returns the number of events published. */
  async tick(): Promise<number> {
    try {
      const events = await this.#source.poll(this.#now());
      this.#hub.publish(events);
      return events.length;
    } catch (e) {
      this.#errors++;
      this.#onError(e);
      return 0;
    }
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.#timer !== undefined) return;
    // The next poll is scheduled when this one has finished, so polls never overlap.
    const loop = async () => {
      await this.tick();
      if (this.#timer !== undefined) this.#timer = setTimeout(loop, this.#interval);
    };
    this.#timer = setTimeout(loop, 0);
  }

  /** Stops polling. */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
