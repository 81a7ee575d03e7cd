/**
 * Secrets: the process environment merged over a `.env` file (the environment wins). They never
 * come from `config.yaml`; every runtime reads them here and redacts their values from output.
 *
 * @module
 */

import { parseDotEnv, type Secrets, secretsFromEnv } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";

/** Where {@linkcode loadSecrets} looks. */
export interface SecretSources {
  /** The `.env` file. Default `.env` in the working directory; a missing file is no error. */
  readonly envFile?: string;
  /** The environment. Default the process environment (empty without env permission). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads the secrets: environment over `.env`.
 *
 * @param sources The `.env` path and the environment.
 * @returns The secrets that are set.
 * @throws {ConfigError} When `.env` exists but has a line that is not `KEY=value`.
 */
export async function loadSecrets(sources: SecretSources = {}): Promise<Secrets> {
  const envFile = sources.envFile ?? ".env";
  let dotEnv: Record<string, string> = {};
  try {
    dotEnv = parseDotEnv(await Deno.readTextFile(envFile));
  } catch (e) {
    if (e instanceof SyntaxError) throw new ConfigError(envFile, [e.message], { cause: e });
    // No .env file: secrets come from the environment only.
  }
  return secretsFromEnv({ ...dotEnv, ...(sources.env ?? processEnv()) });
}

/** The values of the secrets that are set, to redact from everything a command prints. */
export function secretValues(secrets: Secrets): string[] {
  return [secrets.databaseUrl, secrets.newsApiKey, secrets.dashboardToken, secrets.publishToken]
    .filter((v): v is string => !!v);
}

/**
 * Secret values of the environment and `.env`, best effort (never throws: a broken `.env` is
 * reported by the command that loads the configuration), for redacting output.
 */
export async function knownSecretValues(sources: SecretSources = {}): Promise<string[]> {
  try {
    return secretValues(await loadSecrets(sources));
  } catch {
    return secretValues(secretsFromEnv(sources.env ?? processEnv()));
  }
}

function processEnv(): Record<string, string> {
  try {
    return Deno.env.toObject();
  } catch {
    return {}; // no env permission: URL passwords are still redacted by pattern
  }
}
