import assert from "node:assert/strict";
import { retentionRssCommand, rssByMapping } from "./retention_rss_command.ts";

Deno.test("rssByMapping sums Rss by mapping kind", () => {
  const smaps = [
    `00400000-00500000 r-xp 00000000 08:01 42 ${Deno.execPath()}`,
    "Rss:                2048 kB",
    "01000000-02000000 rw-p 00000000 00:00 0          [heap]",
    "Rss:                1024 kB",
    "7f0000000000-7f0000100000 rw-p 00000000 00:00 0 ",
    "Rss:                 512 kB",
    "7f0000100000-7f0000200000 rw-p 00000000 00:00 0 ",
    "Rss:                 512 kB",
    "7f0000200000-7f0000300000 r--p 00000000 08:01 7 /usr/lib/libc.so.6",
    "Rss:                 256 kB",
  ].join("\n");
  assert.deepEqual(rssByMapping(smaps), { anon: 1, brk_heap: 1, binary: 2, other: 0.25 });
});

Deno.test("bench:retention-rss runs passes that archive without errors", async () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => void lines.push(s);
  try {
    assert.equal(await retentionRssCommand(["--passes", "5", "--events", "20000"]), 0);
  } finally {
    console.log = log;
  }
  assert.equal(lines.filter((l) => l.startsWith("pass ")).length, 5);
  assert.ok(lines.some((l) => /archived [1-9]\d* rows/.test(l)), lines.join("\n"));
  assert.match(lines.at(-1)!, /^mode full: RSS mean .* anon [\d.]+/);
});

Deno.test("bench:retention-rss refuses a bad mode", async () => {
  await assert.rejects(() => retentionRssCommand(["--mode", "half"]), /--mode: full or none/);
});
