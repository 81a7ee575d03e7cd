/**
 * Datasets of several traded streams. Each stream's rows come from its own feature spec
 * (the spec the edge builds for that stream: its book and flow, its bars' technicals,
 * sentiment, portfolio), replayed over every event of the recordings exactly as the edge's
 * model strategy sees them, and labelled from that stream's book. All streams' specs have
 * the same layout (only the names' prefix differs), so:
 *
 * - **pooled** ({@linkcode poolDatasets}): one dataset of every stream's rows (a window never
 *   crosses two streams), splits by time within each stream, one normalization fitted on the
 *   training rows of all streams. One model serves every stream; the stream is an input only
 *   through its own values (its price level, spreads, depths), there is no identity feature.
 * - **per stream**: one dataset (and model) per stream.
 *
 * @module
 */

import type { FeatureDataset } from "../../core/features/dataset.ts";
import { fitNormalization } from "../../core/features/normalization.ts";
import type { StreamRef } from "../../core/features/spec.ts";
import type { VenueId } from "../../core/market/instrument.ts";
import { buildDataset, type Dataset, type DatasetConfig, type DatasetStream } from "./dataset.ts";
import { engineFeatureSource, type EngineSource } from "./engine_feature_source.ts";
import { streamInputName } from "../../infra/inference/stream_input.ts";

/**
 * Parses "venue:BASE/QUOTE" stream names.
 *
 * @throws {RangeError} Naming the bad entry.
 */
export function parseStreamList(names: readonly string[]): StreamRef[] {
  return names.map((n) => {
    const m = /^([a-z_]+):([A-Z0-9]+\/[A-Z0-9]+)$/.exec(n.trim());
    if (!m) {
      throw new RangeError(
        `Invalid stream "${n}": expected venue:BASE/QUOTE, e.g. binance_us:BTC/USDT`,
      );
    }
    return { venue: m[1] as VenueId, symbol: m[2] as string };
  });
}

/** One stream's dataset and what reading found. */
export interface StreamDataset {
  /** The stream. */
  readonly stream: StreamRef;
  /** Its dataset (rows of its own spec, labelled from its book). */
  readonly ds: Dataset;
  /** Its feature source (read counters). */
  readonly source: EngineSource;
}

/** Builds one dataset per stream from the same recordings. */
export async function streamDatasets(
  files: readonly string[],
  streams: readonly StreamRef[],
  options: { intervalMs: number; venue?: VenueId },
  config: DatasetConfig,
): Promise<StreamDataset[]> {
  const out: StreamDataset[] = [];
  for (const stream of streams) {
    const source = await engineFeatureSource(files, { ...options, stream });
    const ds = await buildDataset(source, config);
    out.push({
      stream,
      source,
      ds: {
        ...ds,
        streams: [{ ...stream, featureSpecHash: ds.specHash, from: 0, to: ds.times.length }],
      },
    });
  }
  return out;
}

/**
 * Pools per-stream datasets into one: rows concatenated stream after stream, split indices
 * shifted with them (each stream keeps its own time-ordered splits and embargo, so no window
 * or label spans two streams), and one normalization refitted on every stream's training
 * rows. Names and spec hash are the first stream's (the manifest's primary); `streams` lists
 * every stream with its own spec hash (the manifest's `serves`). With `streamInput` the stream
 * is also an input: {@linkcode withStreamColumns}.
 *
 * @throws {RangeError} When the parts' layouts or configurations differ.
 */
export function poolDatasets(
  parts: readonly StreamDataset[],
  options: { streamInput?: boolean } = {},
): Dataset {
  const first = parts[0];
  if (first === undefined) throw new RangeError("Cannot pool datasets: none given");
  const f = first.ds.names.length;
  for (const p of parts) {
    if (p.ds.names.length !== f) {
      throw new RangeError(
        `Cannot pool ${p.stream.venue} ${p.stream.symbol}: ${p.ds.names.length} features, ${first.stream.venue} ${first.stream.symbol} has ${f}`,
      );
    }
    if (JSON.stringify(p.ds.config) !== JSON.stringify(first.ds.config)) {
      throw new RangeError(
        `Cannot pool ${p.stream.venue} ${p.stream.symbol}: dataset settings differ`,
      );
    }
  }
  const rows = parts.reduce((n, p) => n + p.ds.times.length, 0);
  const features = new Float32Array(rows * f);
  const missing = new Uint8Array(rows * f);
  const times: number[] = [], bid: number[] = [], ask: number[] = [];
  const splits = { train: [] as number[], val: [] as number[], test: [] as number[] };
  const streams: DatasetStream[] = [];
  const trainRows: number[] = [];
  let at = 0;
  for (const { stream, ds } of parts) {
    features.set(ds.features, at * f);
    missing.set(ds.missing, at * f);
    times.push(...ds.times);
    bid.push(...ds.bid);
    ask.push(...ds.ask);
    for (const k of ["train", "val", "test"] as const) {
      for (const i of ds.splits[k]) splits[k].push(i + at);
    }
    const lastTrain = ds.splits.train.at(-1);
    if (lastTrain !== undefined) { for (let r = 0; r <= lastTrain; r++) trainRows.push(at + r); }
    streams.push({
      venue: stream.venue,
      symbol: stream.symbol,
      featureSpecHash: ds.specHash,
      from: at,
      to: at + ds.times.length,
    });
    at += ds.times.length;
  }
  const values = new Float64Array(trainRows.length * f);
  const mask = new Uint8Array(trainRows.length * f);
  trainRows.forEach((r, n) => {
    values.set(features.subarray(r * f, (r + 1) * f), n * f);
    mask.set(missing.subarray(r * f, (r + 1) * f), n * f);
  });
  const fit: FeatureDataset = {
    spec: first.source.spec,
    times: Float64Array.from(trainRows.map((r) => times[r] as number)),
    values,
    missing: mask,
    events: 0,
    nonFinite: [],
  };
  const pooled: Dataset = {
    names: first.ds.names,
    specHash: first.ds.specHash,
    config: first.ds.config,
    times,
    bid,
    ask,
    features,
    missing,
    normalization: fitNormalization(fit),
    splits,
    streams,
  };
  return options.streamInput ? withStreamColumns(pooled) : pooled;
}

/**
 * Appends the stream-identity one-hot (one column per stream, `stream.<venue:symbol>`, never
 * missing, normalized as is: mean 0, sd 1) to every row of a pooled dataset.
 */
export function withStreamColumns(ds: Dataset): Dataset {
  const streams = ds.streams ?? [];
  const keys = streams.map((s) => `${s.venue}:${s.symbol}`);
  const f = ds.names.length;
  const g = f + keys.length;
  const rows = ds.times.length;
  const features = new Float32Array(rows * g);
  const missing = new Uint8Array(rows * g);
  streams.forEach((s, k) => {
    for (let r = s.from; r < s.to; r++) {
      features.set(ds.features.subarray(r * f, (r + 1) * f), r * g);
      missing.set(ds.missing.subarray(r * f, (r + 1) * f), r * g);
      features[r * g + f + k] = 1;
    }
  });
  const n = ds.normalization;
  return {
    ...ds,
    names: [...ds.names, ...keys.map(streamInputName)],
    features,
    missing,
    normalization: {
      ...n,
      mean: [...n.mean, ...keys.map(() => 0)],
      std: [...n.std, ...keys.map(() => 1)],
      count: [...n.count, ...keys.map(() => 0)],
    },
    stream_inputs: keys,
  };
}
