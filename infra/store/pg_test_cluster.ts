/**
 * A private, throwaway PostgreSQL cluster for tests that stop and restart the server (the
 * shared test server must stay up for the tests running beside them). Uses the server binaries
 * from `TICKERML_TEST_PG_BIN` or the newest /usr/lib/postgresql/N/bin; as root it runs them as
 * the `postgres` user (the server refuses to run as root).
 *
 * @module
 */

/** A cluster in a temporary directory on a free loopback port. */
export class PgTestCluster {
  /** Connection URL (database "postgres", trust authentication). */
  readonly url: string;
  readonly #bin: string;
  readonly #dir: string;
  readonly #port: number;

  private constructor(bin: string, dir: string, port: number) {
    this.#bin = bin;
    this.#dir = dir;
    this.#port = port;
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  /** Creates (initdb) and starts a cluster. */
  static async create(): Promise<PgTestCluster> {
    const bin = Deno.env.get("TICKERML_TEST_PG_BIN") || await newestBin();
    const dir = await Deno.makeTempDir({ prefix: "tickerml-pg-" });
    if (Deno.uid() === 0) {
      const [uid, gid] = await Promise.all([idOf("-u"), idOf("-g")]);
      await Deno.chown(dir, uid, gid);
    }
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const cluster = new PgTestCluster(bin, dir, port);
    await cluster.#run("initdb", "-D", `${dir}/data`, "-U", "postgres", "-A", "trust", "--no-sync");
    await cluster.start();
    return cluster;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    await this.#run(
      "pg_ctl",
      "-D",
      `${this.#dir}/data`,
      "-l",
      `${this.#dir}/server.log`,
      "-w",
      "-t",
      "60",
      "start",
      "-o",
      `-p ${this.#port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.#dir} -c fsync=off`,
    );
  }

  /** Stops the server; "immediate" is a crash (no shutdown checkpoint, clients cut off). */
  async stop(mode: "fast" | "immediate" = "immediate"): Promise<void> {
    await this.#run("pg_ctl", "-D", `${this.#dir}/data`, "-m", mode, "-w", "stop");
  }

  /** Stops (if running) and removes the cluster. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => {});
    await Deno.remove(this.#dir, { recursive: true });
  }

  async #run(tool: string, ...args: string[]): Promise<void> {
    const argv = [`${this.#bin}/${tool}`, ...args];
    const cmd = Deno.uid() === 0
      ? new Deno.Command("su", {
        args: ["postgres", "-s", "/bin/sh", "-c", argv.map(shellQuote).join(" ")],
      })
      : new Deno.Command(argv[0]!, { args: argv.slice(1) });
    const { code, stdout, stderr } = await cmd.output();
    if (code !== 0) {
      const text = new TextDecoder().decode(new Uint8Array([...stdout, ...stderr]));
      throw new Error(`${tool} ${args.join(" ")} exited with ${code}: ${text}`);
    }
  }
}

async function newestBin(): Promise<string> {
  const versions: number[] = [];
  try {
    for await (const e of Deno.readDir("/usr/lib/postgresql")) {
      if (/^\d+$/.test(e.name)) versions.push(Number(e.name));
    }
  } catch {
    // No server installed: reported below.
  }
  if (versions.length === 0) {
    throw new Error("no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql)");
  }
  return `/usr/lib/postgresql/${Math.max(...versions)}/bin`;
}

async function idOf(flag: "-u" | "-g"): Promise<number> {
  const { stdout } = await new Deno.Command("id", { args: [flag, "postgres"] }).output();
  const id = Number(new TextDecoder().decode(stdout).trim());
  if (!Number.isInteger(id) || id <= 0) throw new Error("no postgres user to run the server as");
  return id;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}
