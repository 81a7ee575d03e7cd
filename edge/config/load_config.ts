import { parse as parseYaml } from "yaml";
import {
  type Config,
  parseConfig,
  parseDotEnv,
  type Secrets,
  secretsFromEnv,
} from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";

/** A loaded configuration with its secrets. */
export interface LoadedConfig {
  /** The validated configuration. */
  readonly config: Config;
  /** Secrets from the environment and `.env`. */
  readonly secrets: Secrets;
}

/**
 * Reads `config.yaml` (or `path`), validates it, and collects secrets from the
 * process environment merged over `.env` beside the current directory.
 *
 * @throws {ConfigError} When the file is missing, is not YAML, or fails validation.
 */
export async function loadConfig(
  path = "config.yaml",
  options: { envFile?: string; env?: Record<string, string> } = {},
): Promise<LoadedConfig> {
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
  const config = parseConfig(doc, path);
  let dotEnv: Record<string, string> = {};
  const envFile = options.envFile ?? ".env";
  try {
    dotEnv = parseDotEnv(await Deno.readTextFile(envFile));
  } catch (e) {
    if (e instanceof SyntaxError) throw new ConfigError(envFile, [e.message], { cause: e });
    // No .env file: secrets come from the environment only.
  }
  const env = options.env ?? Deno.env.toObject();
  return { config, secrets: secretsFromEnv({ ...dotEnv, ...env }) };
}
