import { z } from "zod";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a lowercase hex SHA-256");
const fileEntry = z.strictObject({
  path: z.string().regex(/^[A-Za-z0-9._-]+$/, "expected a plain file name"),
  sha256,
  bytes: z.number().int().positive(),
});

/** Schema of a model's `manifest.json` in the registry. */
export const ModelManifestSchema = z.strictObject({
  format: z.literal("tickerml-model/1"),
  version: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, "expected letters, digits, '.', '_' or '-'"),
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
}).superRefine((m, ctx) => {
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
