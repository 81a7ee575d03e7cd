/**
 * An unbounded async queue: producers `push`, one consumer iterates with `for await`;
 * `close()` ends the iteration once the queued items are consumed.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  /** Items waiting. */
  get size(): number {
    return this.#items.length;
  }

  /** Adds an item (ignored after close). */
  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#wake?.();
  }

  /** Ends the stream after the queued items. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.#items.length > 0) {
        const batch = this.#items;
        this.#items = [];
        for (const item of batch) yield item;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
