/**
 * Entry point of `deno task features`: see {@linkcode runFeaturesCli}.
 *
 * @module
 */
import { runFeaturesCli } from "./features_cli.ts";

if (import.meta.main) Deno.exit(await runFeaturesCli(Deno.args));
