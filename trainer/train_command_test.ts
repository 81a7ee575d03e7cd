import assert from "node:assert/strict";
import { flagWarnings } from "../infra/cli/flags.ts";
import { parseTrainArgs, withVenueCosts } from "./train_command.ts";

Deno.test("parseTrainArgs() maps the documented options onto the run configuration", () => {
  const a = parseTrainArgs([
    "--mode",
    "rl",
    "--algo",
    "a2c",
    "--episodes",
    "1000",
    "--learning_rate",
    "0.001",
  ]);
  assert.equal(a.mode, "rl");
  assert.equal(a.config.algo, "a2c");
  assert.equal(a.config.episodes, 1000);
  assert.equal(a.config.learning_rate, 0.001);
  const b = parseTrainArgs(["--mode", "pretrain", "--epochs", "5", "--batch-size", "16"]);
  assert.equal(b.config.epochs, 5);
  assert.equal(b.config.batch_size, 16);
  assert.equal(b.config.learning_rate, undefined);
  assert.equal(b.config.recordings.length, 2, "defaults to the bundled recording");
  assert.equal(b.config.experience, undefined, "no experience replay unless asked");
  const store = new URL("../deno.json", import.meta.url).pathname;
  const c = parseTrainArgs([
    "--experience",
    store,
    "--experience",
    store,
    "--experience-steps",
    "4",
  ]);
  assert.deepEqual(c.config.experience, [store, store]);
  assert.equal(c.config.experience_steps, 4);
  assert.equal(b.config.export_policy, "auto");
  const x = parseTrainArgs(["--mode", "export", "--export-policy", "pretrained"]);
  assert.equal(x.config.export_policy, "pretrained");
});

Deno.test("parseTrainArgs() rejects bad values with the option name", () => {
  assert.throws(() => parseTrainArgs(["--algo", "dqn"]), /Invalid --algo: dqn/);
  assert.throws(() => parseTrainArgs(["--mode", "fly"]), /Invalid --mode: fly/);
  assert.throws(
    () => parseTrainArgs(["--export-policy", "best"]),
    /Invalid --export-policy: best; expected auto, rl or pretrained/,
  );
  assert.throws(() => parseTrainArgs(["--epochs", "many"]), /Invalid --epochs: many/);
  assert.throws(() => parseTrainArgs(["--heads", "3"]), /heads must divide dModel/);
  assert.throws(
    () => parseTrainArgs(["/no/such/file.gz"]),
    /Cannot read recording \/no\/such\/file\.gz/,
  );
  assert.throws(
    () => parseTrainArgs(["--experience", "/no/edge.db"]),
    /Cannot read experience store \/no\/edge\.db/,
  );
  assert.throws(() => parseTrainArgs(["--experience-steps", "1.5"]), /Invalid --experience-steps/);
  const store = new URL("../deno.json", import.meta.url).pathname;
  assert.throws(
    () => parseTrainArgs(["--mode", "pretrain", "--experience", store]),
    /Invalid --experience with --mode pretrain/,
  );
  assert.throws(
    () => parseTrainArgs(["--reward", "dsr", "--experience", store]),
    /Invalid --experience with --reward dsr/,
  );
});

Deno.test("parseTrainArgs() still takes the old snake_case spellings, with a warning", () => {
  const warned: string[] = [];
  const warn = flagWarnings.warn;
  flagWarnings.warn = (l) => void warned.push(l);
  try {
    const a = parseTrainArgs(["--learning_rate", "0.001", "--batch_size=8"]);
    assert.equal(a.config.learning_rate, 0.001);
    assert.equal(a.config.batch_size, 8);
  } finally {
    flagWarnings.warn = warn;
  }
  assert.deepEqual(warned, [
    "warning: --learning_rate is deprecated; use --learning-rate",
    "warning: --batch_size is deprecated; use --batch-size",
  ]);
});

Deno.test("withVenueCosts() takes the venue's fees from config.yaml unless --fee-bps is given", async () => {
  const config = new URL("../config.yaml", import.meta.url).pathname;
  const a = parseTrainArgs(["--venue", "coinbase", "--config", config]);
  const c = await withVenueCosts(a.config, a.values, "BTC/USD");
  assert.deepEqual([c.fee_bps, c.maker_fee_bps, c.max_position_fraction], [60, 40, 0.25]);
  assert.match(c.costs_source!, /exchanges\.coinbase/);
  const b = parseTrainArgs(["--venue", "coinbase", "--fee-bps", "2", "--config", config]);
  const o = await withVenueCosts(b.config, b.values, "BTC/USD");
  assert.deepEqual([o.fee_bps, o.maker_fee_bps], [2, 2]);
  assert.match(o.costs_source!, /--fee-bps/);
  const m = parseTrainArgs(["--config", "/no/config.yaml"]);
  await assert.rejects(() => withVenueCosts(m.config, m.values), /\/no\/config\.yaml/);
});
