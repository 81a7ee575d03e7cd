/**
 * Checkpoint binary format (version 1), little-endian:
 *
 * | bytes            | content                                                  |
 * |------------------|----------------------------------------------------------|
 * | 0..7             | magic `TMLCKPT1` (ASCII)                                 |
 * | 8..11            | u32 header length H in bytes                             |
 * | 12..12+H         | UTF-8 JSON header ({@linkcode CheckpointHeader})         |
 * | pad              | spaces up to a multiple of 4 bytes                       |
 * | data             | float32 values of every tensor, in header order          |
 *
 * Each header tensor entry gives `name`, `shape`, `offset` (in float32 elements
 * from the start of the data section) and `length`. `data_fnv1a32` is the
 * FNV-1a hash of the data bytes; a mismatch means a torn or corrupt file.
 * Model tensors use the names of `parameterShapes`; optimizer moments are
 * stored as `opt.m.<name>` / `opt.v.<name>` so training can resume.
 *
 * @module
 */

import type { FeatureNormalization } from "../../core/features/normalization.ts";
import type { ModelSpec } from "../../core/model/model_spec.ts";

const MAGIC = "TMLCKPT1";

/** The JSON header of a checkpoint. */
export interface CheckpointHeader {
  /** Always "tickerml-checkpoint". */
  readonly format: "tickerml-checkpoint";
  /** Format version (1). */
  readonly version: 1;
  /** Architecture. */
  readonly model_spec: ModelSpec;
  /** Hash of the feature spec the model was trained on. */
  readonly feature_spec_hash: string;
  /** Feature names in input order. */
  readonly feature_names: readonly string[];
  /**
   * Normalization fitted on the training split, applied to inputs with
   * `normalizeVector` of core/features/normalization.ts (edge and trainer alike).
   */
  readonly normalization: FeatureNormalization;
  /** Training configuration (free-form, snake_case keys). */
  readonly training_config: Record<string, unknown>;
  /** Where training stood: phase, epoch, step, best validation loss, ... */
  readonly progress: Record<string, unknown>;
  /** Tensor directory. */
  readonly tensors: readonly { name: string; shape: number[]; offset: number; length: number }[];
  /** FNV-1a 32-bit hash of the data section. */
  readonly data_fnv1a32: number;
}

/** Header fields the caller provides (the tensor directory and hash are computed). */
export type CheckpointMeta = Omit<
  CheckpointHeader,
  "format" | "version" | "tensors" | "data_fnv1a32"
>;

/** A decoded checkpoint. */
export interface Checkpoint {
  /** The header. */
  readonly header: CheckpointHeader;
  /** Tensors by name. */
  readonly tensors: Map<string, Float32Array>;
}

/** A checkpoint is unreadable (bad magic, truncated, hash mismatch). */
export class CheckpointError extends Error {
  /**
   * @param where File or label of the checkpoint.
   * @param message What is wrong.
   * @param options Optional cause.
   */
  constructor(where: string, message: string, options?: ErrorOptions) {
    super(`Cannot read checkpoint ${where}: ${message}`, options);
    this.name = "CheckpointError";
  }
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i] as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Encodes a checkpoint; tensors are written in the map's iteration order. */
export function encodeCheckpoint(
  meta: CheckpointMeta,
  tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>,
): Uint8Array {
  const dir: { name: string; shape: number[]; offset: number; length: number }[] = [];
  let total = 0;
  for (const [name, t] of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) {
      throw new RangeError(
        `Cannot encode checkpoint: ${name} has ${t.data.length} values for [${t.shape}]`,
      );
    }
    dir.push({ name, shape: [...t.shape], offset: total, length: n });
    total += n;
  }
  const data = new Float32Array(total);
  for (const d of dir) data.set((tensors.get(d.name) as { data: Float32Array }).data, d.offset);
  const dataBytes = new Uint8Array(data.buffer);
  const header: CheckpointHeader = {
    format: "tickerml-checkpoint",
    version: 1,
    ...meta,
    tensors: dir,
    data_fnv1a32: fnv1a(dataBytes),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((12 + json.length) / 4) * 4;
  const out = new Uint8Array(start + dataBytes.length).fill(0x20, 12 + json.length, start);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(dataBytes, start);
  return out;
}

/** Decodes a checkpoint, validating magic, lengths and the data hash. */
export function decodeCheckpoint(bytes: Uint8Array, where = "<bytes>"): Checkpoint {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new CheckpointError(where, "not a TickerML checkpoint (bad magic)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = view.getUint32(8, true);
  if (12 + h > bytes.length) throw new CheckpointError(where, "truncated header");
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + h)));
  } catch (e) {
    throw new CheckpointError(where, "header is not JSON", { cause: e });
  }
  if (header.format !== "tickerml-checkpoint" || header.version !== 1) {
    throw new CheckpointError(where, `unsupported format ${header.format} v${header.version}`);
  }
  const start = Math.ceil((12 + h) / 4) * 4;
  const total = header.tensors.reduce((n, t) => n + t.length, 0);
  if (start + total * 4 !== bytes.length) {
    throw new CheckpointError(where, `expected ${start + total * 4} bytes, got ${bytes.length}`);
  }
  const dataBytes = bytes.slice(start);
  if (fnv1a(dataBytes) !== header.data_fnv1a32) {
    throw new CheckpointError(where, "data hash mismatch");
  }
  const data = new Float32Array(dataBytes.buffer);
  const tensors = new Map<string, Float32Array>();
  for (const t of header.tensors) tensors.set(t.name, data.slice(t.offset, t.offset + t.length));
  return { header, tensors };
}

/** Writes a checkpoint atomically (temp file + rename). */
export async function writeCheckpointFile(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  await Deno.writeFile(tmp, bytes);
  await Deno.rename(tmp, path);
}

/** Reads and decodes a checkpoint file. */
export async function readCheckpointFile(path: string): Promise<Checkpoint> {
  return decodeCheckpoint(await Deno.readFile(path), path);
}
