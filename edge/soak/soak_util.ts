/**
 * Small helpers of the soak run: RSS from /proc, draining a child's output to a file, file
 * sizes and a seeded PRNG.
 *
 * @module
 */

/** Resident set size of a process, MB (Linux /proc), or undefined when unreadable. */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Copies a stream into a file until it ends. */
export async function drainTo(
  stream: ReadableStream<Uint8Array>,
  file: Deno.FsFile,
): Promise<void> {
  try {
    for await (const chunk of stream) file.writeSync(chunk);
  } catch { /* the process died or the file closed */ }
}

/** A file's size, 0 when absent. */
export function fileBytes(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/** A small seeded PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
