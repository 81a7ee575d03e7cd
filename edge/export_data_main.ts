/**
 * Entry point of `deno task export-data`: see {@linkcode runExportData}.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { consoleOutput, UsageError } from "../infra/cli/output.ts";
import { runExportData } from "./export/export_data.ts";

if (import.meta.main) {
  const out = consoleOutput();
  let code: number;
  try {
    code = await runExportData(Deno.args, out);
  } catch (e) {
    out.stderr(`export-data failed: ${e instanceof Error ? e.message : String(e)}`);
    code = e instanceof UsageError || e instanceof ConfigError ? 2 : 1;
  }
  Deno.exit(code);
}
