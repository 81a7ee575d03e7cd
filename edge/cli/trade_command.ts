/**
 * `deno task trade --replay FILE... [--store PATH] [--json]` (edge/main.ts `trade`).
 *
 * Runs the paper trader against recordings at full speed (in-process feed through
 * the edge's Binance parser) and prints a summary with the fills fingerprint. With
 * `--store`, every state change is committed before the next event and a restarted
 * run with the same `--run-id` resumes where it stopped.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { ConfigError } from "../../core/errors.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";
import { venueBookSync } from "../../core/market/venue_book_sync.ts";
import { tradedInstruments } from "../../core/traded_streams.ts";
import { isEventRecording } from "../recording/event_recording.ts";
import { streamInstruments } from "./export_events.ts";
import { SnapshotAttributionError } from "../../core/market/binance_survey.ts";
import { surveyBinanceFiles } from "../replay/recording_survey.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { parseQueueModel } from "../../core/trading/exchange/queue_model.ts";
import {
  type EngineConfig,
  engineConfigFromConfig,
} from "../../core/trading/engine/engine_config.ts";
import { fixedLatency } from "../../core/trading/exchange/latency.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import type { Output } from "../../infra/cli/output.ts";
import { alertSink } from "../trader/alert_sink.ts";
import { type RoutedModel, routedModelStrategy } from "../trader/routed_model.ts";
import { RestoreMismatchError, runPaperTrader } from "../trader/paper_trader.ts";
import { TradingStore } from "../../infra/store/trading/trading_store.ts";

const USAGE = `Usage: deno task trade --replay FILE... [options]

  --replay FILE      recording replayed as the live feed (repeat, or list files after the options)
  --store PATH       SQLite store for crash-safe state (resumes a run with the same --run-id)
  --json             print one JSON object
  --strategy NAME    flat | buy-and-hold | momentum | imbalance (default: trading.strategy in the config)
  --model DIR        model package: it decides the streams it serves (each from its own features),
                     the --strategy baseline the others (one line per stream says which)
  --config PATH      configuration file (default config.yaml)
  --run-id ID        run id in the store (default paper)
  --continue-from ID continue the account (balances, positions, risk state) of a finished run
  --venue NAME       venue tag of Binance-format recordings (binance | binance_us; default binance)
  --symbol SYM       traded symbol (repeatable; Binance format: default the recording's one
                     depth stream; tickerml-events/1: default every configured stream)
  --stream V:SYM     traded stream, any venue (repeatable; default for a tickerml-events/1
                     recording: trading.streams of the config, i.e. every configured stream)
  --latency-ms X     order latency override (default trading.order_latency_ms)
  --webhook URL      POST each performance alert as JSON to this URL
  --control-poll-ms X  poll the dashboard's control commands at most every X ms (default 250; needs --store)
  --fault-kill-after N  fault injection for crash tests: SIGKILL this process after N commits
  --queue-model M    resting-order queue model: risk-averse (default) or power:N`;

/**
 * The `trade` command: runs the paper trader and prints its summary.
 *
 * @param args Command-line options.
 * @param out Where to print.
 * @returns The exit code (0 ok, 1 the stored run cannot be resumed, 2 bad usage or config).
 */
export async function tradeCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      replay: { type: "string", multiple: true },
      store: { type: "string" },
      json: { type: "boolean", default: false },
      strategy: { type: "string" },
      model: { type: "string" },
      config: { type: "string", default: "config.yaml" },
      "run-id": { type: "string", default: "paper" },
      "continue-from": { type: "string" },
      venue: { type: "string" },
      symbol: { type: "string", multiple: true },
      stream: { type: "string", multiple: true },
      "latency-ms": { type: "string" },
      webhook: { type: "string" },
      "fault-kill-after": { type: "string" },
      "control-poll-ms": { type: "string" },
      "queue-model": { type: "string", default: "risk-averse" },
    },
  });
  const fail = (msg: string) => {
    out.stderr(`trade: ${msg}\n\n${USAGE}`);
    return 2;
  };
  const files = [...(values.replay ?? []), ...positionals];
  if (files.length === 0) {
    return fail("no --replay files (live connectors are not wired into this command yet)");
  }
  let config;
  try {
    config = (await loadConfig(values.config)).config;
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  const venue = values.venue ?? "binance";
  if (venue !== "binance" && venue !== "binance_us") return fail(`unsupported venue "${venue}"`);
  const events = await isEventRecording(files[0] as string);
  let instruments: Instrument[] = [];
  try {
    if (values.stream !== undefined) instruments = streamInstruments(values.stream);
    else if (events && values.symbol === undefined && values.venue === undefined) {
      instruments = tradedInstruments(config);
    } else if (events) instruments = binanceInstruments(venue, values.symbol ?? ["BTC/USDT"]);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (!events && values.stream === undefined) {
    // Binance-format recordings: instruments and snapshot owners from the data's evidence.
    let evidence;
    try {
      evidence = await surveyBinanceFiles(files, venue);
    } catch (e) {
      if (e instanceof SnapshotAttributionError) return fail(e.message);
      throw e;
    }
    const present = [...evidence.instruments.values()];
    const streams = present.map((i) => i.symbol);
    const traded = values.symbol ?? (streams.length === 1 ? streams : []);
    if (traded.length === 0) {
      if (streams.length > 1) {
        return fail(`the recording holds ${streams.join(", ")}: pass --symbol`);
      }
      out.stderr(`trade: no market data in ${files.join(", ")} (missing, empty or unreadable)`);
      return 1;
    }
    for (const s of traded) {
      const inst = present.find((i) => i.symbol === s);
      if (!inst) {
        out.stderr(
          `trade: no data for ${s} in ${files.join(", ")} (streams: ${streams.join(", ")})`,
        );
        return 1;
      }
      instruments.push(inst);
    }
  }
  let engineConfig: EngineConfig = {
    ...engineConfigFromConfig(config, instruments, venueBookSync),
    keepDecisions: false, // decisions go to the store through the sink
  };
  try {
    engineConfig = { ...engineConfig, queueModel: parseQueueModel(values["queue-model"]) };
  } catch (e) {
    return fail((e as Error).message);
  }
  if (values["latency-ms"] !== undefined) {
    const ms = Number(values["latency-ms"]);
    if (!Number.isFinite(ms) || ms < 0) return fail("--latency-ms must be a number >= 0");
    engineConfig = { ...engineConfig, latency: fixedLatency(ms) };
  }
  let strategy;
  try {
    strategy = baselineStrategy(values.strategy ?? config.trading.strategy, {
      intervalMs: config.trading.decision_interval_s * 1000,
    });
  } catch (e) {
    return fail((e as Error).message);
  }
  let routed: RoutedModel | undefined;
  const registryDir = values.model === undefined ? undefined : await Deno.makeTempDir();
  if (values.model !== undefined) {
    try {
      routed = await routedModelStrategy({
        modelDir: values.model,
        registryDir: registryDir as string,
        streams: instruments,
        baseline: strategy,
        intervalMs: config.trading.decision_interval_s * 1000,
        threads: config.model.ort_threads,
        log: (l) => out.stderr(l),
      });
    } catch (e) {
      await Deno.remove(registryDir as string, { recursive: true });
      return fail(`--model ${values.model}: ${(e as Error).message}`);
    }
    strategy = routed.strategy;
  }
  const pollMs = values["control-poll-ms"] === undefined ? 250 : Number(values["control-poll-ms"]);
  if (!Number.isFinite(pollMs) || pollMs < 0) {
    return fail("--control-poll-ms must be a number >= 0");
  }
  const onAlert = alertSink({ webhook: values.webhook, log: (l) => out.stderr(l) });
  if (values["continue-from"] !== undefined && !values.store) {
    return fail("--continue-from needs --store");
  }
  const store = values.store ? await TradingStore.open(values.store) : undefined;
  try {
    const summary = await runPaperTrader({
      files,
      config: engineConfig,
      strategy,
      venue,
      runId: values["run-id"],
      ...(values["continue-from"] !== undefined ? { continueFrom: values["continue-from"] } : {}),
      onAlert,
      controlPollMs: pollMs,
      onControl: (h) =>
        out.stderr(
          `control ${h.command.id} ${h.command.command} from ${h.command.source} ${h.outcome.status} after event ${h.cursor}: ${h.outcome.detail}`,
        ),
      ...(values["fault-kill-after"] !== undefined
        ? { afterCommit: killAfter(Number(values["fault-kill-after"])) }
        : {}),
      ...(store ? { store } : {}),
      ...(routed ? { beforeEvent: routed.beforeEvent } : {}),
    });
    for (const p of summary.problems) out.stderr(`trade: ${p}`);
    const bookOf = (i: Instrument) =>
      summary.books[`${i.venue}:${i.symbol}`] ?? summary.books[i.symbol];
    const noBook = instruments.filter((i) => !(bookOf(i)?.applied ?? 0));
    for (const i of noBook) {
      out.stderr(`trade: no book for ${i.symbol} in ${files.join(", ")}: the run traded nothing`);
    }
    const usable = summary.problems.length === 0 && noBook.length === 0;
    const result = {
      usable,
      ...summary,
      store: values.store ?? null,
      counts: store?.counts(summary.run_id) ?? null,
    };
    if (values.json) {
      out.stdout(JSON.stringify({ ...result, report: { ...result.report, equity: undefined } }));
    } else {
      const r = summary.report.net;
      out.stdout(
        `paper trader ${summary.strategy} (run ${summary.run_id}): ${summary.events} events, resumed from ${summary.resumed_from}`,
      );
      out.stdout(`fills ${summary.fills}, fingerprint ${summary.fingerprint}`);
      out.stdout(
        `equity ${r.start_equity.toFixed(2)} -> ${r.end_equity.toFixed(2)} (${
          (r.total_return * 100).toFixed(3)
        } %), fees ${r.fees.toFixed(4)}, risk ${summary.report.risk_state}`,
      );
      for (const st of summary.report.streams) {
        out.stdout(
          `  ${st.venue} ${st.symbol}: decisions ${st.decisions} (${st.decisions_rejected} refused), fills ${st.fills}, P&L net ${
            st.pnl_net.toFixed(4)
          } gross ${st.pnl_gross.toFixed(4)}, exposure ${
            (st.exposure_fraction * 100).toFixed(1)
          } %`,
        );
      }
    }
    return usable ? 0 : 1;
  } catch (e) {
    if (e instanceof RestoreMismatchError) {
      out.stderr(`trade: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await onAlert.idle(); // webhook posts run off the trading loop; let them finish (bounded)
    await store?.close();
    if (registryDir !== undefined) await Deno.remove(registryDir, { recursive: true });
  }
}

function binanceInstruments(venue: VenueId, symbols: readonly string[]): Instrument[] {
  return symbols.map((s) => {
    const inst = defaultInstrument(venue, s);
    if (!inst) throw new Error(`unknown symbol "${s}" on ${venue}`);
    return inst;
  });
}

/** Fault injection: SIGKILL the own process after `n` commits (the store is all that survives). */
function killAfter(n: number): () => void {
  let commits = 0;
  return () => {
    if (++commits >= n) Deno.kill(Deno.pid, "SIGKILL");
  };
}
