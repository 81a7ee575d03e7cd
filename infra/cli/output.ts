import { redactSecrets } from "../../core/redact.ts";

/** Where CLI commands print: stdout for results, stderr for progress and errors. */
export interface Output {
  /** A result line (stdout). */
  stdout(text: string): void;
  /** An error or log line (stderr). */
  stderr(text: string): void;
  /** Replaces the current progress line (stderr, only on a terminal); "" clears it. */
  progress(text: string): void;
}

export { UsageError } from "./usage_error.ts";

const encoder = new TextEncoder();

/** The process's real output. Progress lines are drawn only when stderr is a terminal. */
export function consoleOutput(): Output {
  const tty = Deno.stderr.isTerminal();
  let shown = false;
  return {
    stdout: (t) => void Deno.stdout.writeSync(encoder.encode(`${t}\n`)),
    stderr: (t) => {
      if (shown) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
      shown = false;
      Deno.stderr.writeSync(encoder.encode(`${t}\n`));
    },
    progress: (t) => {
      if (!tty) return;
      Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${t}`));
      shown = t !== "";
    },
  };
}

/** An output that records lines (tests). */
export function memoryOutput(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: () => {} };
}

const SPIN = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A one-line progress indicator: spinner, file k/n, name, lines read. */
export function progressLine(k: number, n: number, file: string, lines: number): string {
  const bar = "█".repeat(Math.round((k - 1) / n * 20)).padEnd(20, "░");
  const name = file.slice(file.lastIndexOf("/") + 1);
  return `${SPIN[Math.floor(lines / 10_000) % SPIN.length]} [${bar}] file ${k}/${n} ${name}: ${
    lines.toLocaleString("en-US")
  } lines`;
}

/**
 * Wraps an output so nothing it prints carries a secret: URL passwords and the given secret
 * values become `***` (error messages of drivers and URL parsers quote connection strings).
 *
 * @param out The output to wrap.
 * @param secrets Secret values (DATABASE_URL, tokens, keys); empty ones are ignored.
 */
export function redactingOutput(out: Output, secrets: readonly (string | undefined)[]): Output {
  const r = (t: string) => redactSecrets(t, secrets);
  return {
    stdout: (t) => out.stdout(r(t)),
    stderr: (t) => out.stderr(r(t)),
    progress: (t) => out.progress(t),
  };
}
