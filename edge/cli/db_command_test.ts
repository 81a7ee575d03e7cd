import assert from "node:assert/strict";
import { dropSchema, PG_SKIP, pgTestUrl, scratchSchema } from "../../infra/store/pg_test_env.ts";
import { main } from "../main.ts";
import { PG_MIGRATIONS } from "../../infra/store/pg_migrations.ts";
import { SQLITE_MIGRATIONS } from "../../infra/store/sqlite_migrations.ts";
import { redactUrl } from "./db_command.ts";
import { memoryOutput } from "../../infra/cli/output.ts";

const CONFIG = await Deno.readTextFile(new URL("../../config.yaml", import.meta.url));

async function configFile(dir: string, edit: (text: string) => string): Promise<string> {
  const path = `${dir}/config.yaml`;
  await Deno.writeTextFile(path, edit(CONFIG));
  return path;
}

async function run(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const out = memoryOutput();
  const code = await main(["db", ...args, "--json"], out);
  assert.equal(out.out.length, 1, out.err.join("\n"));
  return { code, json: JSON.parse(out.out[0]!) };
}

Deno.test("db check reports pending migrations (exit 1); db migrate applies them; check is then ok", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-db-" });
  try {
    const config = await configFile(
      dir,
      (t) => t.replace("sqlite_path: data/db/tickerml.db", `sqlite_path: ${dir}/t.db`),
    );
    const before = await run("check", "--config", config);
    assert.equal(before.code, 1);
    assert.deepEqual(before.json.pending, SQLITE_MIGRATIONS.map((m) => `${m.version} ${m.name}`));
    const migrated = await run("migrate", "--config", config);
    assert.equal(migrated.code, 0);
    assert.equal(migrated.json.to, SQLITE_MIGRATIONS.at(-1)!.version);
    const after = await run("check", "--config", config);
    assert.equal(after.code, 0);
    assert.equal((after.json.counts as Record<string, number>).trades, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("db: bad usage exits 2; postgres without DATABASE_URL is a configuration error", async () => {
  const out = memoryOutput();
  assert.equal(await main(["db", "drop"], out), 2);
  assert.match(out.err.join("\n"), /usage: deno task db:migrate/);
  const dir = await Deno.makeTempDir({ prefix: "tickerml-db-" });
  try {
    const config = await configFile(dir, (t) => t.replace("backend: sqlite", "backend: postgres"));
    const prior = Deno.env.get("DATABASE_URL");
    Deno.env.delete("DATABASE_URL");
    try {
      const err = memoryOutput();
      assert.equal(await main(["db", "check", "--config", config], err), 2);
      assert.match(err.err.join("\n"), /DATABASE_URL/);
    } finally {
      if (prior) Deno.env.set("DATABASE_URL", prior);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("redactUrl hides the password only", () => {
  assert.equal(redactUrl("postgres://u:p@w@h:5/db"), "postgres://u:***@h:5/db");
  assert.equal(redactUrl("postgres://u@h/db"), "postgres://u@h/db");
});

Deno.test({
  name: "db migrate and check against PostgreSQL",
  ignore: PG_SKIP !== undefined,
  fn: async () => {
    const url = pgTestUrl();
    const schema = scratchSchema();
    const dir = await Deno.makeTempDir({ prefix: "tickerml-db-" });
    const prior = Deno.env.get("DATABASE_URL");
    Deno.env.set("DATABASE_URL", url);
    try {
      const config = await configFile(
        dir,
        (t) =>
          t.replace("backend: sqlite", "backend: postgres").replace(
            "schema: public",
            `schema: ${schema}`,
          ),
      );
      assert.equal((await run("check", "--config", config)).code, 1);
      const migrated = await run("migrate", "--config", config);
      assert.equal(migrated.code, 0);
      assert.equal((migrated.json.mode as { detail: string }).detail.length > 0, true);
      const after = await run("check", "--config", config);
      assert.equal(after.code, 0);
      assert.equal(after.json.backend, "postgres");
      assert.equal(after.json.schema_version, PG_MIGRATIONS.at(-1)!.version);
    } finally {
      if (prior) Deno.env.set("DATABASE_URL", prior);
      else Deno.env.delete("DATABASE_URL");
      await Deno.remove(dir, { recursive: true });
      await dropSchema(url, schema);
    }
  },
});

Deno.test("db check and db migrate never print the DATABASE_URL password", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-db-secret-" });
  const before = Deno.env.get("DATABASE_URL");
  try {
    const config = await configFile(dir, (t) => t.replace("backend: sqlite", "backend: postgres"));
    for (
      const url of [
        "postgres://u:Hunter2-secret@bad host:1/db",
        "postgres://u:Hunter2-secret@127.0.0.1:x/db",
      ]
    ) {
      Deno.env.set("DATABASE_URL", url);
      for (const action of ["check", "migrate"]) {
        const out = memoryOutput();
        const code = await main(["db", action, "--config", config], out);
        const text = [...out.out, ...out.err].join("\n");
        assert.equal(code, 1, text);
        assert.match(text, /Invalid URL/);
        assert.doesNotMatch(text, /Hunter2/, `${action} printed the password: ${text}`);
      }
    }
  } finally {
    if (before === undefined) Deno.env.delete("DATABASE_URL");
    else Deno.env.set("DATABASE_URL", before);
    await Deno.remove(dir, { recursive: true });
  }
});
