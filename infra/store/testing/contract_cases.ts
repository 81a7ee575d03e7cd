/**
 * How every backend contract suite registers its cases: one Deno test per case, each on a fresh
 * store that is disposed of afterwards, skipped as a whole with a visible reason.
 *
 * @module
 */

/** A fresh store for one case, and how to remove it. */
export interface Disposable {
  /** Closes and removes the store. */
  dispose(): Promise<void>;
}

/**
 * A function that registers one case of a suite.
 *
 * @param title The suite's name in test names, e.g. "postgres news".
 * @param open Creates a fresh store for one case.
 * @param skip Skip every case with this reason (shown in the test name).
 */
export function contractCases<H extends Disposable>(
  title: string,
  open: () => Promise<H>,
  skip?: string,
): (name: string, fn: (h: H) => Promise<void>) => void {
  return (name, fn) =>
    Deno.test({
      name: `${title}: ${name}${skip ? ` (skipped: ${skip})` : ""}`,
      ignore: skip !== undefined,
      fn: async () => {
        const h = await open();
        try {
          await fn(h);
        } finally {
          await h.dispose();
        }
      },
    });
}
