/**
 * Liquidity the simulation itself consumed, per price level, so two own orders
 * cannot take the same displayed size. An entry stays valid until the venue's
 * book changes that level (a delta touching the price, or a snapshot).
 *
 * @module
 */

interface Consumed {
  /** Displayed size when the first own fill took from the level. */
  original: number;
  /** Size taken by own fills since. */
  used: number;
}

/** Consumed-liquidity tracking for one side of one book. */
export class ConsumedLiquidity {
  #levels = new Map<number, Consumed>();

  /** Number of levels with consumption recorded. */
  get size(): number {
    return this.#levels.size;
  }

  /**
   * Size still available at a level whose displayed size is `displayed`.
   * If the displayed size differs from the one recorded at consumption, the
   * venue changed the level and the record no longer applies.
   */
  available(price: number, displayed: number): number {
    const c = this.#levels.get(price);
    if (c === undefined) return displayed;
    if (c.original !== displayed) {
      this.#levels.delete(price);
      return displayed;
    }
    return Math.max(0, displayed - c.used);
  }

  /** Records that own fills took `size` from a level displaying `displayed`. */
  consume(price: number, displayed: number, size: number): void {
    const c = this.#levels.get(price);
    if (c !== undefined && c.original === displayed) c.used += size;
    else this.#levels.set(price, { original: displayed, used: size });
  }

  /** The venue changed this level: forget the consumption there. */
  reset(price: number): void {
    if (this.#levels.size > 0) this.#levels.delete(price);
  }

  /** Forget everything (snapshot, halt). */
  clear(): void {
    this.#levels.clear();
  }
}
