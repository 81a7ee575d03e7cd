/**
 * A one-line terminal progress bar: `[#####.....] 120/400 loss 0.8123 ETA 1:05`.
 *
 * @module
 */

/** Formats ms as m:ss (or h:mm:ss). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = `${s % 60}`.padStart(2, "0");
  return h > 0 ? `${h}:${`${m}`.padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Renders the bar for `step` of `total` with the last loss and elapsed time. */
export function renderProgress(
  label: string,
  step: number,
  total: number,
  loss: number,
  elapsedMs: number,
  width = 24,
): string {
  const frac = total > 0 ? Math.min(1, step / total) : 0;
  const filled = Math.round(frac * width);
  const eta = step > 0 ? elapsedMs / step * (total - step) : Number.NaN;
  const lossText = Number.isFinite(loss) ? loss.toFixed(4) : "-";
  return `${label} [${"#".repeat(filled)}${
    ".".repeat(width - filled)
  }] ${step}/${total} loss ${lossText} ETA ${formatDuration(eta)}`;
}

/** A progress bar writing to stderr (redrawn in place on a terminal, every 10% otherwise). */
export class ProgressBar {
  readonly #label: string;
  readonly #start: number;
  readonly #clock: () => number;
  readonly #tty: boolean;
  #lastDecile = -1;

  /**
   * @param label Prefix (step name).
   * @param clock Clock, ms (default performance.now).
   */
  constructor(label: string, clock: () => number = () => performance.now()) {
    this.#label = label;
    this.#clock = clock;
    this.#start = clock();
    this.#tty = Deno.stderr.isTerminal();
  }

  /** Draws the bar. */
  update(step: number, total: number, loss: number): void {
    const line = renderProgress(this.#label, step, total, loss, this.#clock() - this.#start);
    const enc = new TextEncoder();
    if (this.#tty) Deno.stderr.writeSync(enc.encode(`\r${line}`));
    else {
      const decile = Math.floor(step / Math.max(total, 1) * 10);
      if (decile !== this.#lastDecile) {
        this.#lastDecile = decile;
        Deno.stderr.writeSync(enc.encode(`${line}\n`));
      }
    }
  }

  /** Ends the line. */
  done(): void {
    if (this.#tty) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
  }
}
