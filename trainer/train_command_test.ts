import assert from "node:assert/strict";
import { parseTrainArgs } from "./train_command.ts";

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
  const b = parseTrainArgs(["--mode", "pretrain", "--epochs", "5", "--batch_size", "16"]);
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
    "--experience_steps",
    "4",
  ]);
  assert.deepEqual(c.config.experience, [store, store]);
  assert.equal(c.config.experience_steps, 4);
  assert.equal(b.config.export_policy, "auto");
  const x = parseTrainArgs(["--mode", "export", "--export_policy", "pretrained"]);
  assert.equal(x.config.export_policy, "pretrained");
});

Deno.test("parseTrainArgs() rejects bad values with the option name", () => {
  assert.throws(() => parseTrainArgs(["--algo", "dqn"]), /Invalid --algo: dqn/);
  assert.throws(() => parseTrainArgs(["--mode", "fly"]), /Invalid --mode: fly/);
  assert.throws(
    () => parseTrainArgs(["--export_policy", "best"]),
    /Invalid --export_policy: best; expected auto, rl or pretrained/,
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
  assert.throws(() => parseTrainArgs(["--experience_steps", "1.5"]), /Invalid --experience_steps/);
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
