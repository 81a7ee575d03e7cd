/**
 * Peak resident set size of this process, for the scale figures: VmHWM from
 * /proc/self/status on Linux, else the current RSS (then labelled so).
 *
 * @module
 */

/** Peak RSS in MB and where the figure comes from. */
export function peakRss(): { mb: number; source: "VmHWM" | "current rss" } {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    if (m) return { mb: Math.round(Number(m[1]) / 1024), source: "VmHWM" };
  } catch {
    // not Linux: fall through
  }
  return { mb: Math.round(Deno.memoryUsage().rss / 1e6), source: "current rss" };
}
