/**
 * The live edge's model side: the registry and the model host, and the three ways a new model
 * arrives while the edge runs — `POST /models` (publish_api.ts, token EDGE_PUBLISH_TOKEN), a
 * package copied into `<registry>/incoming/` (drained every `model.incoming_poll_s` and on
 * `reload_model`), and the dashboard's `reload_model` (loads the registry's CURRENT). Each new
 * package is installed, then kept only when its test run passes: the model host loads it,
 * checks its graph inputs, runs a smoke inference, and the window must equal the running
 * strategy's. A refused package is removed and the running model stays.
 *
 * @module
 */

import type { ModelManifest } from "../../core/model/manifest.ts";
import { ModelHost } from "../inference/model_host.ts";
import { ModelRegistry, ModelRejected } from "../inference/model_registry.ts";
import { publishApi } from "../inference/publish_api.ts";

/** Options of {@linkcode ModelService}. */
export interface ModelServiceOptions {
  /** Registry directory (`model.registry_dir`). */
  readonly registryDir: string;
  /**
   * Feature-spec hash this edge computes (models with another are refused). The live edge that
   * trades several streams leaves it out: each stream is routed to the model only when the
   * model serves it with that stream's spec, else to the baseline (edge/live/live_router.ts).
   */
  readonly featureHash?: string;
  /** Why a package is refused before it goes live (e.g. it serves none of the traded streams), or undefined. */
  readonly refuse?: (m: ModelManifest) => string | undefined;
  /** Called after a new model went live (publish, incoming/, reload_model), with its version. */
  readonly onSwapped?: (version: string) => Promise<void> | void;
  /** ONNX Runtime threads. */
  readonly threads: number;
  /** ONNX Runtime flavour (`model.ort_runtime`). */
  readonly runtime?: "web" | "node";
  /** Log lines. */
  readonly log: (line: string) => void;
}

/** See the module documentation. */
export class ModelService {
  /** The registry. */
  readonly registry: ModelRegistry;
  /** The host the model strategy decides with. */
  readonly host: ModelHost;
  readonly #o: ModelServiceOptions;
  #window: number | undefined;
  #server: Deno.HttpServer | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #draining: Promise<unknown> = Promise.resolve();

  /** @param options Registry, feature hash, threads, log. */
  constructor(options: ModelServiceOptions) {
    this.#o = options;
    this.registry = new ModelRegistry(
      options.registryDir,
      options.featureHash !== undefined ? { featureHash: options.featureHash } : {},
    );
    this.host = new ModelHost(this.registry, {
      threads: options.threads,
      maxFraction: 1,
      ...(options.runtime ? { runtime: options.runtime } : {}),
      onFallback: (reason) => options.log(`model: ${reason}`),
    });
  }

  /**
   * Loads the model to trade with: installs `packageDir` when given (tested, then active),
   * installs what waits in `incoming/`, then loads the registry's CURRENT.
   *
   * @throws {ModelRejected} When the package is refused.
   * @throws {Error} When the registry has no model at all.
   */
  async load(packageDir?: string): Promise<ModelManifest> {
    if (packageDir) {
      await this.registry.installTested(
        await this.registry.readPackage(packageDir),
        (v) => this.#test(v),
      );
    }
    await this.drain();
    if (!this.host.current) await this.host.loadCurrent();
    const m = this.host.current?.manifest;
    if (!m) {
      throw new Error(
        `no model in ${this.#o.registryDir}: pass --model DIR, publish one (POST /models or incoming/), or set trading.strategy to a baseline`,
      );
    }
    this.#window = m.shape.window;
    return m;
  }

  /** Installs the packages waiting in `incoming/` (each tested; the last good one goes live). */
  drain(): Promise<void> {
    const run = this.#draining.then(async () => {
      for (const r of await this.registry.drainIncoming((v) => this.#test(v))) {
        this.#o.log(
          r.error
            ? `model: ${r.dir} refused: ${r.error}`
            : `model: installed ${r.manifest?.version} from ${r.dir}; now running it`,
        );
      }
    });
    this.#draining = run.catch(() => {});
    return run;
  }

  /** The `reload_model` control: drains `incoming/`, then loads the registry's CURRENT. */
  async reload(): Promise<string> {
    await this.drain();
    const before = this.host.current?.manifest.version;
    const version = await this.registry.currentVersion();
    if (version === undefined) return "the registry has no model";
    if (version !== before) await this.#test(version);
    return version === before ? `model ${version} (unchanged)` : `model ${before} -> ${version}`;
  }

  /**
   * Serves `POST /models` / `GET /models` and polls `incoming/`.
   *
   * @param token EDGE_PUBLISH_TOKEN (without it uploads are refused with 403).
   */
  serve(
    options: { host: string; port: number; token?: string; maxBytes: number; pollMs: number },
  ): void {
    if (options.port > 0) {
      const app = publishApi({
        registry: this.registry,
        host: this.host,
        test: (v) => this.#test(v),
        maxBytes: options.maxBytes,
        log: this.#o.log,
        ...(options.token ? { token: options.token } : {}),
      });
      this.#server = Deno.serve({
        hostname: options.host,
        port: options.port,
        onListen: (a) =>
          this.#o.log(
            `model publish endpoint: http://${a.hostname}:${a.port}/models${
              options.token ? "" : " (uploads refused: EDGE_PUBLISH_TOKEN is not set)"
            }`,
          ),
      }, app.fetch);
    }
    this.#timer = setInterval(() => {
      this.drain().catch((e) => this.#o.log(`model: incoming drain failed: ${e.message}`));
    }, options.pollMs);
  }

  /** Stops the endpoint and the drain timer. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#server?.shutdown();
    await this.#draining;
  }

  /** The test run of an installed version; it is live when this returns. */
  async #test(version: string): Promise<void> {
    const m = await this.registry.manifest(version);
    const reason = this.#o.refuse?.(m);
    if (reason !== undefined) throw new ModelRejected(version, reason);
    if (this.#window !== undefined && m.shape.window !== this.#window) {
      throw new ModelRejected(
        version,
        `its window is ${m.shape.window} steps, the running strategy's is ${this.#window} (restart the edge to change it)`,
      );
    }
    await this.host.swapTo(version);
    await this.#o.onSwapped?.(version);
  }
}
