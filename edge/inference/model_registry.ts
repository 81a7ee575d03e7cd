import { sha256Hex } from "../../core/hash.ts";
import {
  type ModelManifest,
  parseManifest,
  versionNameProblem,
} from "../../core/model/manifest.ts";

/** A model refused by the registry: the reason says what was wrong; the old model keeps running. */
export class ModelRejected extends Error {
  /**
   * @param version Version (or source) of the refused model.
   * @param reason What was wrong.
   * @param options Optional cause.
   */
  constructor(version: string, reason: string, options?: ErrorOptions) {
    super(`Model ${version} rejected: ${reason}`, options);
    this.name = "ModelRejected";
  }
}

/** A model package: its manifest and file bytes by file name. */
export interface ModelPackage {
  /** The manifest (unvalidated JSON is accepted and validated). */
  readonly manifest: unknown;
  /** File bytes by the names the manifest lists. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/**
 * The edge's versioned model directory: `<dir>/<version>/manifest.json` plus the model
 * files, and `<dir>/CURRENT` naming the active version (replaced atomically by rename).
 * `<dir>/incoming/<version>/` is where `trainer publish --to PATH` drops packages.
 */
export class ModelRegistry {
  /** Registry directory. */
  readonly dir: string;
  readonly #featureHash: string | undefined;

  /**
   * @param dir Registry directory.
   * @param options `featureHash`: the feature-spec hash this edge computes; models with another are refused.
   */
  constructor(dir: string, options: { featureHash?: string } = {}) {
    this.dir = dir;
    this.#featureHash = options.featureHash;
  }

  /**
   * Verifies a package (manifest schema, file hashes and sizes, feature-spec hash) and
   * installs it under its version. Installing the same version again is a no-op when
   * the files are identical.
   *
   * @throws {ModelRejected} With the reason; nothing is written then.
   */
  async install(pkg: ModelPackage): Promise<ModelManifest> {
    const parsed = parseManifest(pkg.manifest);
    const label = typeof (pkg.manifest as { version?: unknown })?.version === "string"
      ? (pkg.manifest as { version: string }).version
      : "(unknown version)";
    if (!parsed.ok) throw new ModelRejected(label, `invalid manifest: ${parsed.issues.join("; ")}`);
    const m = parsed.manifest;
    if (this.#featureHash !== undefined && m.feature_spec.hash !== this.#featureHash) {
      throw new ModelRejected(
        m.version,
        `feature-spec hash ${m.feature_spec.hash} differs from this edge's ${this.#featureHash} (retrain or update the edge)`,
      );
    }
    for (const entry of [m.files.fp32, m.files.int8]) {
      if (!entry) continue;
      const bytes = pkg.files.get(entry.path);
      if (!bytes) throw new ModelRejected(m.version, `file ${entry.path} is missing`);
      if (bytes.length !== entry.bytes) {
        throw new ModelRejected(
          m.version,
          `file ${entry.path} has ${bytes.length} bytes, manifest says ${entry.bytes}`,
        );
      }
      const hash = sha256Hex(bytes);
      if (hash !== entry.sha256) {
        throw new ModelRejected(
          m.version,
          `file ${entry.path} has sha256 ${hash}, manifest says ${entry.sha256}`,
        );
      }
    }
    const target = `${this.dir}/${m.version}`;
    const tmp = `${this.dir}/.tmp-${m.version}-${crypto.randomUUID()}`;
    await Deno.mkdir(tmp, { recursive: true });
    try {
      await Deno.writeTextFile(`${tmp}/manifest.json`, JSON.stringify(m, null, 2));
      for (const entry of [m.files.fp32, m.files.int8]) {
        if (entry) {
          await Deno.writeFile(`${tmp}/${entry.path}`, pkg.files.get(entry.path) as Uint8Array);
        }
      }
      try {
        await Deno.rename(tmp, target);
      } catch (e) {
        if (
          !(e instanceof Deno.errors.AlreadyExists) && !(e instanceof Deno.errors.NotADirectory) &&
          !isNotEmpty(e)
        ) throw e;
        const existing = await this.manifest(m.version);
        if (existing.files.fp32.sha256 !== m.files.fp32.sha256) {
          throw new ModelRejected(
            m.version,
            "a different model with this version is already installed",
          );
        }
      }
    } finally {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
    return m;
  }

  /**
   * Installs a package and keeps it only when `test` passes on the installed copy (e.g. the
   * model host's load and smoke inference). A package that fails is removed again (unless that
   * version was installed before) and nothing else changes: CURRENT still names the old model.
   *
   * @throws {ModelRejected} When the package is invalid or its test fails.
   */
  async installTested(
    pkg: ModelPackage,
    test: (version: string) => Promise<void>,
  ): Promise<ModelManifest> {
    const label = String((pkg.manifest as { version?: unknown })?.version ?? "");
    const existed = versionNameProblem(label) === undefined && this.versions().includes(label);
    const m = await this.install(pkg);
    try {
      await test(m.version);
    } catch (e) {
      if (!existed) await this.remove(m.version).catch(() => {});
      if (e instanceof ModelRejected) throw e;
      throw new ModelRejected(m.version, `test run failed: ${(e as Error).message}`, { cause: e });
    }
    return m;
  }

  /**
   * Removes an installed version (never the active one).
   *
   * @throws {ModelRejected} When `version` is not a valid name or is the active model.
   */
  async remove(version: string): Promise<void> {
    this.#checkName(version);
    if ((await this.currentVersion()) === version) {
      throw new ModelRejected(version, "is the active model and cannot be removed");
    }
    await Deno.remove(`${this.dir}/${version}`, { recursive: true });
  }

  /** Reads a package from a directory holding `manifest.json` and its files. */
  async readPackage(dir: string): Promise<ModelPackage> {
    let manifest: unknown;
    try {
      manifest = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
    } catch (e) {
      throw new ModelRejected(dir, `cannot read manifest.json: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const files = new Map<string, Uint8Array>();
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile && entry.name !== "manifest.json") {
        files.set(entry.name, await Deno.readFile(`${dir}/${entry.name}`));
      }
    }
    return { manifest, files };
  }

  /** Installs a package from a directory holding `manifest.json` and its files. */
  async installFromDir(dir: string): Promise<ModelManifest> {
    return await this.install(await this.readPackage(dir));
  }

  /**
   * Installs every package waiting in `incoming/` (removing each once handled; a refused one is
   * renamed `<name>.rejected-<time>`); with `test`, each is kept only when its test run passes.
   *
   * @returns One outcome per package, oldest name first.
   */
  async drainIncoming(
    test?: (version: string) => Promise<void>,
  ): Promise<Array<{ dir: string; manifest?: ModelManifest; error?: string }>> {
    const inbox = `${this.dir}/incoming`;
    const out: Array<{ dir: string; manifest?: ModelManifest; error?: string }> = [];
    let entries: Deno.DirEntry[] = [];
    try {
      entries = [...Deno.readDirSync(inbox)].filter((e) =>
        e.isDirectory && !e.name.includes(".rejected-")
      ).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return out;
    }
    for (const e of entries) {
      const dir = `${inbox}/${e.name}`;
      try {
        const pkg = await this.readPackage(dir);
        out.push({
          dir,
          manifest: test ? await this.installTested(pkg, test) : await this.install(pkg),
        });
        await Deno.remove(dir, { recursive: true });
      } catch (err) {
        out.push({ dir, error: (err as Error).message });
        await Deno.rename(dir, `${inbox}/${e.name}.rejected-${Date.now()}`).catch(() => {});
      }
    }
    return out;
  }

  /** Reads and validates an installed version's manifest. */
  async manifest(version: string): Promise<ModelManifest> {
    this.#checkName(version);
    let doc: unknown;
    try {
      doc = JSON.parse(await Deno.readTextFile(`${this.dir}/${version}/manifest.json`));
    } catch (e) {
      throw new ModelRejected(version, `not installed or unreadable: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const parsed = parseManifest(doc);
    if (!parsed.ok) {
      throw new ModelRejected(version, `invalid manifest: ${parsed.issues.join("; ")}`);
    }
    return parsed.manifest;
  }

  /** Reads an installed model file, verifying its hash again (a corrupt file is refused). */
  async readModel(m: ModelManifest, precision: "fp32" | "int8"): Promise<Uint8Array> {
    const entry = m.files[precision];
    if (!entry) throw new ModelRejected(m.version, `has no ${precision} file`);
    const bytes = await Deno.readFile(`${this.dir}/${m.version}/${entry.path}`);
    const hash = sha256Hex(bytes);
    if (hash !== entry.sha256) {
      throw new ModelRejected(
        m.version,
        `installed file ${entry.path} is corrupt (sha256 ${hash}, expected ${entry.sha256})`,
      );
    }
    return bytes;
  }

  /** Marks a version active (atomic rename of CURRENT). */
  async activate(version: string): Promise<void> {
    await this.manifest(version);
    const tmp = `${this.dir}/.CURRENT-${crypto.randomUUID()}`;
    await Deno.writeTextFile(tmp, `${version}\n`);
    await Deno.rename(tmp, `${this.dir}/CURRENT`);
  }

  /** The active version, or undefined when none. */
  async currentVersion(): Promise<string | undefined> {
    try {
      return (await Deno.readTextFile(`${this.dir}/CURRENT`)).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  #checkName(version: string): void {
    const problem = versionNameProblem(version);
    if (problem) {
      throw new ModelRejected(JSON.stringify(version), `invalid version name: ${problem}`);
    }
  }

  /** Installed versions, oldest first by name. */
  versions(): string[] {
    try {
      return [...Deno.readDirSync(this.dir)]
        .filter((e) => e.isDirectory && versionNameProblem(e.name) === undefined)
        .map((e) => e.name).sort();
    } catch {
      return [];
    }
  }
}

function isNotEmpty(e: unknown): boolean {
  return e instanceof Error && /not empty|exists/i.test(e.message);
}
