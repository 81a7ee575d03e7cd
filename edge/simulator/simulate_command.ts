/**
 * `deno task simulate`: runs the loopback exchange simulator until stopped.
 *
 * Options: `--venues binance_us,coinbase,kraken,kucoin`, `--symbols BTC/USDT,...`,
 * `--speed N` (multiplier of 10 steps/s per symbol), `--seed N`, `--port-base P`
 * (venues on P, P+1, ... in that order; default any free port), `--duration S`,
 * `--source synthetic|recorded` (BTC symbols from the bundled Binance BTCUSDT recording),
 * `--fault "SECONDS venue kind [symbol] [ms]"` (repeatable), `--sent-log DIR` (every book delta
 * sent, per book: edge/simulator/sent_log.ts). While running, stdin
 * lines `venue kind [symbol] [ms]`, `speed N` and `quit` act at once. Prints the
 * `exchanges` URLs to put in config.yaml, then a status line every 5 s.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { UsageError } from "../../infra/cli/usage_error.ts";
import { ExchangeSimulator, SIM_VENUES, type SimVenue } from "./exchange_simulator.ts";
import { type Fault, FAULT_KINDS } from "./faults.ts";

/**
 * Parses a fault command `venue kind [symbol] [ms]`.
 *
 * @throws {RangeError} When the venue, kind or arguments are wrong.
 */
export function parseFaultCommand(words: string[]): { venue: SimVenue; fault: Fault } {
  const [venue, kind, a, b] = words;
  if (!SIM_VENUES.includes(venue as SimVenue)) throw new RangeError(`unknown venue "${venue}"`);
  if (!FAULT_KINDS.includes(kind as Fault["kind"])) {
    throw new RangeError(`unknown fault "${kind}" (one of ${FAULT_KINDS.join(", ")})`);
  }
  const k = kind as Fault["kind"];
  const ms = (v: string | undefined) => {
    const n = Number(v ?? "5000");
    if (!(n > 0)) throw new RangeError(`stall length must be a positive number of ms`);
    return n;
  };
  if (k === "malformed" || k === "disconnect" || k === "close_24h") {
    return { venue: venue as SimVenue, fault: { kind: k } };
  }
  if (k === "stall") return { venue: venue as SimVenue, fault: { kind: k, ms: ms(a) } };
  if (!a) throw new RangeError(`fault "${k}" needs a symbol`);
  if (k === "symbol_stall") {
    return { venue: venue as SimVenue, fault: { kind: k, symbol: a, ms: ms(b) } };
  }
  return { venue: venue as SimVenue, fault: { kind: k, symbol: a } };
}

/**
 * CLI entry of the simulator.
 *
 * @returns Exit code: 0 after a clean stop, 2 on bad usage.
 */
export async function runSimulate(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    name: "simulate",
    options: {
      venues: { type: "string", default: SIM_VENUES.join(",") },
      symbols: { type: "string", default: "BTC/USDT,ETH/USDT,BTC/USD,ETH/USD" },
      speed: { type: "string", default: "1" },
      seed: { type: "string", default: "1" },
      "port-base": { type: "string" },
      duration: { type: "string" },
      fault: { type: "string", multiple: true, default: [] },
      source: { type: "string", default: "synthetic" },
      "sent-log": { type: "string" },
    },
  });
  const venues = values.venues.split(",") as SimVenue[];
  const speed = Number(values.speed);
  const scheduled: { at: number; venue: SimVenue; fault: Fault }[] = [];
  try {
    if (venues.some((v) => !SIM_VENUES.includes(v))) {
      throw new RangeError(`--venues: one of ${SIM_VENUES}`);
    }
    if (!(speed > 0)) throw new RangeError("--speed must be > 0");
    if (values.source !== "synthetic" && values.source !== "recorded") {
      throw new RangeError("--source must be synthetic or recorded");
    }
    for (const f of values.fault) {
      const [at, ...words] = f.trim().split(/\s+/);
      if (!(Number(at) >= 0)) throw new RangeError(`--fault "${f}": starts with seconds`);
      scheduled.push({ at: Number(at), ...parseFaultCommand(words) });
    }
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const base = values["port-base"] ? Number(values["port-base"]) : undefined;
  const sim = await ExchangeSimulator.start({
    venues,
    symbols: values.symbols.split(","),
    seed: Number(values.seed),
    speed,
    source: values.source as "synthetic" | "recorded",
    ...(values["sent-log"] ? { sentLogDir: values["sent-log"] } : {}),
    ...(base ? { ports: Object.fromEntries(venues.map((v, i) => [v, base + i])) } : {}),
  });
  console.log(JSON.stringify({ exchanges: sim.urls() }));
  sim.run();
  const started = Date.now();
  const done = Promise.withResolvers<void>();
  for (const s of scheduled) {
    setTimeout(() => {
      sim.inject(s.venue, s.fault);
      console.log(JSON.stringify({ injected: s.fault, venue: s.venue }));
    }, s.at * 1000);
  }
  const status = setInterval(() => {
    const servers = Object.fromEntries([...sim.servers].map(([v, s]) => [v, s.counters]));
    console.log(
      JSON.stringify({ t_s: Math.round((Date.now() - started) / 1000), steps: sim.steps, servers }),
    );
  }, 5000);
  if (values.duration) setTimeout(() => done.resolve(), Number(values.duration) * 1000);
  Deno.addSignalListener("SIGINT", () => done.resolve());
  void readCommands(sim, () => done.resolve());
  await done.promise;
  clearInterval(status);
  await sim.stop();
  return 0;
}

async function readCommands(sim: ExchangeSimulator, quit: () => void): Promise<void> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of Deno.stdin.readable) {
    rest += decoder.decode(chunk, { stream: true });
    let nl;
    while ((nl = rest.indexOf("\n")) >= 0) {
      const words = rest.slice(0, nl).trim().split(/\s+/).filter(Boolean);
      rest = rest.slice(nl + 1);
      if (words.length === 0) continue;
      if (words[0] === "quit") return quit();
      try {
        if (words[0] === "speed") sim.setSpeed(Number(words[1]));
        else {
          const { venue, fault } = parseFaultCommand(words);
          sim.inject(venue, fault);
        }
        console.log(JSON.stringify({ ok: words.join(" ") }));
      } catch (e) {
        console.log(JSON.stringify({ error: (e as Error).message }));
      }
    }
  }
}
