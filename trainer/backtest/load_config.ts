/**
 * Reads `config.yaml` for the backtester (the trainer may not import the edge's loader;
 * validation is the shared {@linkcode parseConfig} from core).
 *
 * @module
 */

import { parse as parseYaml } from "yaml";
import { type Config, parseConfig } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";

/**
 * Loads and validates a configuration file.
 *
 * @throws {ConfigError} When the file cannot be read, is not YAML or fails validation.
 */
export async function loadTrainerConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new ConfigError(path, [`cannot read the file: ${(e as Error).message}`], { cause: e });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    throw new ConfigError(path, [`not valid YAML: ${(e as Error).message.split("\n")[0]}`], {
      cause: e,
    });
  }
  return parseConfig(doc, path);
}
