import type { FeatureDataset } from "./dataset.ts";

/**
 * A feature dataset as CSV: header `time_ms,<feature names...>`, one line per
 * decision. Missing values are empty cells (never 0), so a reader cannot take them
 * for data; group flags are ordinary 0/1 columns. Numbers use JavaScript's
 * shortest round-trip form, so parsing gives back the same doubles.
 *
 * @param ds The dataset.
 * @returns The CSV text (ends with a newline).
 */
export function datasetCsv(ds: FeatureDataset): string {
  const f = ds.spec.features.length;
  const lines = [["time_ms", ...ds.spec.features.map((x) => x.name)].join(",")];
  for (let r = 0; r < ds.times.length; r++) {
    const cells: string[] = [String(ds.times[r])];
    for (let i = 0; i < f; i++) {
      const k = r * f + i;
      cells.push(ds.missing[k] === 1 ? "" : String(ds.values[k]));
    }
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}
