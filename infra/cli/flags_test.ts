import assert from "node:assert/strict";
import { flagWarnings, parseFlags } from "./flags.ts";
import { numberFlag } from "./flag_values.ts";
import { HelpRequested, UsageError } from "./usage_error.ts";

const SPEC = {
  usage: "usage: demo [--run-id ID] [--batch-size N] [--json] FILE...",
  allowPositionals: true,
  options: {
    "run-id": { type: "string", default: "paper" },
    "batch-size": { type: "string" },
    json: { type: "boolean", default: false },
  },
} as const;

function warnings(f: () => void): string[] {
  const seen: string[] = [];
  const warn = flagWarnings.warn;
  flagWarnings.warn = (l) => void seen.push(l);
  try {
    f();
  } finally {
    flagWarnings.warn = warn;
  }
  return seen;
}

Deno.test("parseFlags() reads kebab-case flags, defaults and positionals", () => {
  const r = parseFlags(["--batch-size", "8", "a.gz", "--json", "b.gz"], SPEC);
  assert.deepEqual({ ...r.values }, { "run-id": "paper", "batch-size": "8", json: true });
  assert.deepEqual(r.positionals, ["a.gz", "b.gz"]);
});

Deno.test("parseFlags() names the bad flag and ends with the usage", () => {
  const bad = (args: string[], re: RegExp) =>
    assert.throws(() => parseFlags(args, SPEC), (e: unknown) => {
      assert.ok(e instanceof UsageError, String(e));
      assert.match(e.message, re);
      assert.match(e.message, /\nusage: demo /);
      return true;
    });
  bad(["--bogus"], /^unknown option --bogus/);
  bad(["--batch-sise", "3"], /^unknown option --batch-sise \(did you mean --batch-size\?\)/);
  bad(["--run-id"], /^option --run-id needs a value/);
  bad(["--json=yes"], /^option --json takes no value/);
  assert.throws(
    () => parseFlags(["x"], { options: { json: { type: "boolean" } } }),
    /unexpected argument x/,
  );
});

Deno.test("parseFlags(): --help and -h ask for the usage; a generated one lists the flags", () => {
  assert.throws(() => parseFlags(["--json", "--help"], SPEC), (e: unknown) => {
    assert.ok(e instanceof HelpRequested);
    assert.equal(e.usage, SPEC.usage);
    return true;
  });
  assert.throws(
    () =>
      parseFlags(["-h"], {
        name: "x",
        options: { "max-seconds": { type: "string", help: "cap" } },
      }),
    (e: unknown) => e instanceof HelpRequested && /--max-seconds VALUE +cap/.test(e.usage),
  );
  // After "--", --help is an argument.
  assert.deepEqual(parseFlags(["--", "--help"], SPEC).positionals, ["--help"]);
});

Deno.test("parseFlags(): an old snake_case spelling works and warns once per use", () => {
  let r: ReturnType<typeof parseFlags<typeof SPEC.options>> | undefined;
  const seen = warnings(() => {
    r = parseFlags(["--run_id", "r7", "--batch_size=16", "--", "--run_id"], SPEC);
  });
  assert.equal(r?.values["run-id"], "r7");
  assert.equal(r?.values["batch-size"], "16");
  assert.deepEqual(r?.positionals, ["--run_id"]);
  assert.deepEqual(seen, [
    "warning: --run_id is deprecated; use --run-id",
    "warning: --batch_size is deprecated; use --batch-size",
  ]);
  // A snake_case spelling of no flag is still an unknown option.
  assert.throws(() => parseFlags(["--no_such"], SPEC), /unknown option --no_such/);
});

Deno.test("parseFlags() refuses a flag spec that is not kebab-case", () => {
  assert.throws(
    () => parseFlags([], { options: { batch_size: { type: "string" } } }),
    /--batch_size is not kebab-case/,
  );
});

Deno.test("numberFlag() names the flag on bad numbers", () => {
  assert.equal(numberFlag("0.5", "fee-bps", 1, { min: 0 }), 0.5);
  assert.throws(() => numberFlag("", "port", 1), /--port: expected a number, got /);
  assert.throws(() => numberFlag("2.5", "port", 1, { integer: true }), /whole number/);
  assert.throws(() => numberFlag("70000", "port", 1, { max: 65_535 }), /<= 65535, got 70000/);
  assert.throws(() => numberFlag("-1", "port", 1, { min: 0 }), UsageError);
});
