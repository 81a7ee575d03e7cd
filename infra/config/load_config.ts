/**
 * The one configuration and secrets loader of every runtime (edge, trainer, dashboard):
 * `config.yaml` validated by core's zod schema ({@linkcode parseConfig}: unknown keys, wrong
 * types and out-of-range values are rejected with their key path), secrets from the environment
 * and `.env` ({@linkcode loadSecrets}).
 *
 * @module
 */

import { parse as parseYaml } from "yaml";
import { type Config, parseConfig, type Secrets } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";
import { loadSecrets, type SecretSources } from "./secrets.ts";

/** The default configuration file, relative to the working directory. */
export const DEFAULT_CONFIG_PATH = "config.yaml";

/** A loaded configuration with its secrets. */
export interface LoadedConfig {
  /** The validated configuration. */
  readonly config: Config;
  /** Secrets from the environment and `.env`. */
  readonly secrets: Secrets;
  /** The file it was read from. */
  readonly path: string;
}

/**
 * Reads and validates a configuration file (no secrets).
 *
 * @param path The YAML file.
 * @returns The validated configuration.
 * @throws {ConfigError} When the file is missing, is not YAML, or fails validation.
 */
export async function readConfigFile(path: string = DEFAULT_CONFIG_PATH): Promise<Config> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new ConfigError(path, [`cannot read the file: ${(e as Error).message}`], { cause: e });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new ConfigError(path, [`not valid YAML: ${(e as Error).message.split("\n")[0]}`], {
      cause: e,
    });
  }
  return parseConfig(doc, path);
}

/**
 * Reads `config.yaml` (or `path`), validates it, and collects secrets from the process
 * environment merged over `.env` in the working directory.
 *
 * @param path The YAML file. Default `config.yaml`.
 * @param options Where secrets come from (tests pass `env` and `envFile`).
 * @throws {ConfigError} When the file is missing, is not YAML, fails validation, or `.env` has a bad line.
 */
export async function loadConfig(
  path: string = DEFAULT_CONFIG_PATH,
  options: SecretSources = {},
): Promise<LoadedConfig> {
  const config = await readConfigFile(path);
  return { config, secrets: await loadSecrets(options), path };
}
