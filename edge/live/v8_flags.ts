/**
 * V8 heap settings of the live edge process (`deno task start`, the systemd unit, the soak): a
 * 1 MB young-generation semi-space (V8's default of up to 16 MB per semi-space kept ~70 MB of
 * heap pages the edge never needs: its live heap is 20-30 MB) and a 128 MB old-space cap (a leak
 * ends in a crash and a restart that resumes the run, not in swapping on the Pi).
 *
 * @module
 */

/** The `deno run` option that applies them. */
export const LIVE_V8_FLAGS = "--v8-flags=--max-semi-space-size=1,--max-old-space-size=128";
