/**
 * `deno run -A trainer/main.ts fixture --kind tiny|tiny-rl|tiny-trained [--out DIR]`:
 * regenerates a test model fixture under testdata/models/ (testdata/SOURCES.md).
 *
 * @module
 */

import { choiceFlag } from "../../infra/cli/flag_values.ts";
import { parseFlags } from "../../infra/cli/flags.ts";
import { UsageError } from "../../infra/cli/usage_error.ts";

const USAGE =
  `usage: deno run -A trainer/main.ts fixture --kind tiny|tiny-rl|tiny-trained [--out DIR]

  --kind K    tiny (random weights), tiny-rl (with an RL policy), tiny-trained (pretrained)
  --out DIR   package directory (tiny, tiny-rl; default testdata/models/<kind>)`;

/**
 * The `fixture` command.
 *
 * @param args Its arguments.
 * @returns The exit code.
 */
export async function fixtureCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    usage: USAGE,
    options: { kind: { type: "string" }, out: { type: "string" } },
  });
  const kind = choiceFlag(values.kind, "kind", ["tiny", "tiny-rl", "tiny-trained"] as const);
  if (kind === undefined) throw new UsageError(`--kind is required\n${USAGE}`);
  if (kind === "tiny") {
    await (await import("./tiny_fixture.ts")).writeTinyFixture(values.out);
  } else if (kind === "tiny-rl") {
    await (await import("./tiny_rl_fixture.ts")).writeTinyRlFixture(values.out);
  } else {
    if (values.out !== undefined) throw new UsageError(`--out: tiny-trained has a fixed place`);
    await (await import("./tiny_trained_fixture.ts")).writeTinyTrainedFixture();
  }
  return 0;
}
