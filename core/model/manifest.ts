import { z } from "zod";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a lowercase hex SHA-256");
const fileEntry = z.strictObject({
  path: z.string().regex(/^[A-Za-z0-9._-]+$/, "expected a plain file name"),
  sha256,
  bytes: z.number().int().positive(),
});

/**
 * What decides in the package: the pretrained TradingTransformer's heads, or an
 * RL-tuned policy on its encoder whose graph has the second input `position`
 * (core/model/model_io.ts POSITION_INPUT). Absent in older manifests, which hold
 * pretrained models.
 */
const policyEntry = z.strictObject({
  kind: z.enum(["pretrained", "rl"]),
  /** RL algorithm that trained the policy, e.g. "ppo". */
  algo: z.string().regex(/^[a-z0-9_]{1,32}$/, "expected a short lowercase name").optional(),
  /** Policy network: "heads" (RL-tuned transformer heads) or "mlp". */
  network: z.enum(["heads", "mlp"]).optional(),
  /** True when the graph takes the position fraction as input `position` [batch, 1]. */
  position_input: z.boolean(),
});

/**
 * How the INT8 file was quantized (core/model/int8_scheme.ts). Absent in packages
 * written before it was recorded, whose weights span -127..127.
 */
const quantizationEntry = z.strictObject({
  scheme: z.string().regex(/^[a-z0-9_-]{1,40}$/, "expected a short lowercase name"),
  activations: z.string().max(120),
  weights: z.string().max(120),
  /** Largest |int8 weight| of every MatMulInteger. */
  weight_range: z.number().int().min(1).max(127),
});

/**
 * One stream a package serves: its venue and symbol and the hash of the feature spec the
 * model reads for it (the edge builds that stream's spec and compares). Absent in older
 * manifests, which serve the one stream their feature spec was built for.
 */
const servedStream = z.strictObject({
  venue: z.string().regex(/^[a-z_]{1,32}$/, "expected a venue id like binance_us"),
  symbol: z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, "expected a symbol like BTC/USDT"),
  feature_spec_hash: z.string().min(8),
});

/** The `policy` of manifests that do not say: a pretrained model without a position input. */
export const PRETRAINED_POLICY = Object.freeze(
  { kind: "pretrained", position_input: false } as const,
);

/** Names a version may not take: they are the registry's own entries. */
const RESERVED_VERSIONS = ["incoming", "manifest.json", "current"];

/**
 * Why `name` cannot be a model version (a directory of the registry), or undefined when it can:
 * 1 to 80 letters, digits, '.', '_' or '-', starting with a letter or digit (so never `.`,
 * `..` or a hidden name), no path separator, not `incoming`, `manifest.json` or `CURRENT`.
 */
export function versionNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/.test(name)) {
    return "expected 1 to 80 letters, digits, '.', '_' or '-', starting with a letter or digit";
  }
  if (RESERVED_VERSIONS.includes(name.toLowerCase())) {
    return `"${name}" is reserved by the registry`;
  }
  return undefined;
}

/** Schema of a model's `manifest.json` in the registry. */
export const ModelManifestSchema = z.strictObject({
  format: z.literal("tickerml-model/1"),
  version: z.string().superRefine((v, ctx) => {
    const problem = versionNameProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  created_at: z.iso.datetime(),
  shape: z.strictObject({
    feature_dim: z.number().int().positive(),
    window: z.number().int().positive(),
    d_model: z.number().int().positive(),
    n_heads: z.number().int().positive(),
    n_layers: z.number().int().positive(),
    ff_dim: z.number().int().positive(),
  }),
  feature_spec: z.strictObject({
    hash: z.string().min(8),
    names: z.array(z.string()).min(1),
  }),
  normalization: z.strictObject({
    mean: z.array(z.number()),
    std: z.array(z.number().nonnegative()),
    clip: z.number().positive(),
  }),
  files: z.strictObject({ fp32: fileEntry, int8: fileEntry.optional() }),
  default_precision: z.enum(["fp32", "int8"]),
  metrics: z.record(z.string(), z.number()).default({}),
  training: z.record(z.string(), z.unknown()).default({}),
  policy: policyEntry.default({ ...PRETRAINED_POLICY }),
  quantization: quantizationEntry.optional(),
  /** Streams served, each with its feature-spec hash (optional; see servedStreams()). */
  serves: z.array(servedStream).min(1).optional(),
  /**
   * A pooled model with the stream as an input: the streams ("venue:BASE/QUOTE") whose one-hot
   * columns follow the feature spec's values in each row (the last entries of
   * `feature_spec.names`); the trading process appends the one-hot of the stream it decides.
   */
  stream_inputs: z.array(
    z.string().regex(/^[a-z_]{1,32}:[A-Z0-9]+\/[A-Z0-9]+$/, "expected venue:BASE/QUOTE"),
  ).min(2).optional(),
}).superRefine((m, ctx) => {
  const rl = m.policy.kind === "rl";
  if (m.policy.position_input !== rl) {
    ctx.addIssue({
      code: "custom",
      path: ["policy", "position_input"],
      message: rl
        ? "must be true for an RL policy (its graph takes the position input)"
        : "must be false for a pretrained model (its graph has no position input)",
    });
  }
  for (const key of ["algo", "network"] as const) {
    if (!rl && m.policy[key] !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["policy", key],
        message: "is only allowed when policy.kind is rl",
      });
    }
  }
  const F = m.shape.feature_dim;
  for (const key of ["mean", "std"] as const) {
    if (m.normalization[key].length !== F) {
      ctx.addIssue({
        code: "custom",
        path: ["normalization", key],
        message: `must have ${F} values`,
      });
    }
  }
  if (m.feature_spec.names.length !== F) {
    ctx.addIssue({
      code: "custom",
      path: ["feature_spec", "names"],
      message: `must have ${F} names`,
    });
  }
  const k = m.stream_inputs?.length ?? 0;
  if (
    k > 0 && m.feature_spec.names.slice(F - k).some((n, i) => n !== `stream.${m.stream_inputs![i]}`)
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["stream_inputs"],
      message: "the last feature names must be stream.<venue:symbol> of each entry, in order",
    });
  }
  if (m.quantization !== undefined && !m.files.int8) {
    ctx.addIssue({
      code: "custom",
      path: ["quantization"],
      message: "is only allowed with an INT8 file (files.int8)",
    });
  }
  if (m.default_precision === "int8" && !m.files.int8) {
    ctx.addIssue({
      code: "custom",
      path: ["files", "int8"],
      message: "required when default_precision is int8",
    });
  }
});

/** A validated model manifest. */
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/**
 * Validates a parsed `manifest.json`.
 *
 * @returns The manifest, or a list of "path: problem" lines.
 */
export function parseManifest(
  doc: unknown,
): { ok: true; manifest: ModelManifest } | { ok: false; issues: string[] } {
  const r = ModelManifestSchema.safeParse(doc);
  if (r.success) return { ok: true, manifest: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) =>
      `${i.path.map(String).join(".") || "(top level)"}: ${i.message}`
    ),
  };
}
