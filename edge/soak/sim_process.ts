/**
 * The exchange simulator as its own process (`edge/simulator/simulate_command.ts`), as the soak
 * test and the restart tests run it: its venue URLs are read from its first output line, and
 * faults and speed changes are sent to its stdin.
 *
 * @module
 */

import { fromFileUrl } from "../../infra/file_url.ts";

/** Venue URLs as the simulator prints them (`exchanges` of config.yaml). */
export type SimUrls = Record<string, { ws_url: string; rest_url: string }>;

/** A running simulator process. */
export interface SimProcess {
  /** The process. */
  readonly child: Deno.ChildProcess;
  /** Venue URLs. */
  readonly urls: SimUrls;
  /** Sends one stdin command (`venue kind [symbol] [ms]`, `speed N`). */
  send(command: string): Promise<void>;
  /** Status lines printed so far (JSON). */
  readonly lines: string[];
  /** Asks it to quit and waits for it. */
  stop(): Promise<void>;
}

const ROOT = fromFileUrl(new URL("../../", import.meta.url));

/**
 * Starts the simulator process.
 *
 * @param args Extra simulator options (`--speed`, `--symbols`, `--seed`, `--source`).
 * @throws {Error} When it exits before printing its URLs.
 */
export async function startSimProcess(args: readonly string[]): Promise<SimProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "edge/main.ts", "simulate", ...args],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  let urls: SimUrls | undefined;
  while (!urls) {
    const { value, done } = await reader.read();
    if (done) {
      const err = new TextDecoder().decode((await child.output()).stderr);
      throw new Error(`the simulator exited before listening: ${err.slice(-500)}`);
    }
    buf += value;
    const nl = buf.indexOf("\n");
    if (nl >= 0) {
      urls = (JSON.parse(buf.slice(0, nl)) as { exchanges: SimUrls }).exchanges;
      buf = buf.slice(nl + 1);
    }
  }
  // Keep draining its status lines so the pipe never fills.
  const drained = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (lines.length > 1_000) lines.splice(0, 500);
      }
    }
  })();
  void child.stderr.cancel();
  const writer = child.stdin.getWriter();
  const enc = new TextEncoder();
  return {
    child,
    urls,
    lines,
    send: (command) => writer.write(enc.encode(`${command}\n`)),
    stop: async () => {
      await writer.write(enc.encode("quit\n")).catch(() => {});
      await writer.close().catch(() => {});
      await child.status;
      await drained;
    },
  };
}
