import assert from "node:assert/strict";
import { ConfigError } from "../../core/errors.ts";
import { loadConfig, readConfigFile } from "./load_config.ts";
import { knownSecretValues, loadSecrets } from "./secrets.ts";

const SHIPPED = new URL("../../config.yaml", import.meta.url).pathname;

Deno.test("loadConfig() validates the shipped config.yaml and takes secrets from env over .env", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/.env`,
      "# comment\nexport NEWSAPI_KEY='from-dotenv'\nDASHBOARD_TOKEN=dot-token\n",
    );
    const loaded = await loadConfig(SHIPPED, {
      envFile: `${dir}/.env`,
      env: { DASHBOARD_TOKEN: "env-token", DATABASE_URL: "postgres://u:pw@h/db" },
    });
    assert.equal(loaded.path, SHIPPED);
    assert.equal(loaded.config.exchanges.coinbase?.taker_fee_bps, 60);
    assert.deepEqual(loaded.secrets, {
      newsApiKey: "from-dotenv",
      dashboardToken: "env-token",
      databaseUrl: "postgres://u:pw@h/db",
    });
    assert.deepEqual(
      (await knownSecretValues({ envFile: `${dir}/.env`, env: {} })).sort(),
      ["dot-token", "from-dotenv"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig() names the file and the key path of every problem", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(() => readConfigFile(`${dir}/missing.yaml`), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /missing\.yaml:\n {2}cannot read the file/);
      return true;
    });
    await Deno.writeTextFile(`${dir}/dup.yaml`, "symbols: [BTC/USDT]\nsymbols: [ETH/USDT]\n");
    await assert.rejects(() => readConfigFile(`${dir}/dup.yaml`), /dup\.yaml:\n {2}not valid YAML/);
    await Deno.writeTextFile(
      `${dir}/bad.yaml`,
      "symbols: [BTC/USDT]\nstorage: { backend: mysql }\n",
    );
    await assert.rejects(() => readConfigFile(`${dir}/bad.yaml`), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.ok(e.issues.some((i) => i.startsWith("storage.backend:")), e.message);
      return true;
    });
    await Deno.writeTextFile(`${dir}/.env`, "NOT A LINE\n");
    await assert.rejects(
      () => loadConfig(SHIPPED, { envFile: `${dir}/.env`, env: {} }),
      /\.env:\n {2}Cannot parse \.env line 1/,
    );
    // A missing .env is no error: secrets come from the environment only.
    assert.deepEqual(await loadSecrets({ envFile: `${dir}/none`, env: { NEWSAPI_KEY: "k" } }), {
      newsApiKey: "k",
    });
    assert.deepEqual(
      await knownSecretValues({ envFile: `${dir}/.env`, env: { NEWSAPI_KEY: "k" } }),
      [
        "k",
      ],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
