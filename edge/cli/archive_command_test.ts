import assert from "node:assert/strict";
import { main } from "../main.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { memoryOutput } from "../../infra/cli/output.ts";

const CONFIG = await Deno.readTextFile(new URL("../../config.yaml", import.meta.url));

Deno.test("archive: nothing without a policy, the configured policy once, --measure on a copy", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-archive-cli-" });
  try {
    const store = `${dir}/s.db`;
    const out = memoryOutput();
    assert.equal(
      await main([
        "replay",
        "--venue",
        "binance_us",
        "--store",
        store,
        "--json",
        ...BUNDLED_RECORDING,
      ], out),
      0,
    );
    const plain = `${dir}/plain.yaml`;
    await Deno.writeTextFile(
      plain,
      CONFIG.replace("archive_dir: data/archive", `archive_dir: ${dir}/archive`),
    );
    assert.equal(await main(["archive", "--config", plain, "--store", store], out), 0);
    assert.match(out.out.at(-1)!, /no retention policy configured .*nothing archived or deleted/);

    // --measure leaves the store as it is.
    const before = (await Deno.stat(store)).size;
    assert.equal(
      await main(["archive", "--measure", "--config", plain, "--store", store, "--json"], out),
      0,
    );
    const m = JSON.parse(out.out.at(-1)!);
    assert.equal(m.books, 1);
    assert.ok(m.book_hours > 0.1 && m.book_hours < 0.3, `11 minutes of one book: ${m.book_hours}`);
    assert.ok(m.store_bytes_per_book_hour > m.archive_bytes_per_book_hour, JSON.stringify(m));
    assert.equal((await Deno.stat(store)).size, before);
    assert.equal(await Deno.stat(`${dir}/archive`).then(() => true, () => false), false);

    // Hours are judged by the data's clock (newest receive time 2024-08-09 00:05): a day of age
    // archives nothing, however late the wall clock is.
    const byAge = `${dir}/age.yaml`;
    await Deno.writeTextFile(
      byAge,
      CONFIG.replace(
        "archive_dir: data/archive",
        `archive_dir: ${dir}/archive\n    archive_after_hours: 24`,
      ),
    );
    assert.equal(await main(["archive", "--config", byAge, "--store", store, "--json"], out), 0);
    assert.equal(JSON.parse(out.out.at(-1)!).archived_hours, 0);
    // Over max_store_mb: the closed hour 23:00 whole, then the current hour in parts up to a
    // slice behind the newest data.
    const withPolicy = `${dir}/policy.yaml`;
    await Deno.writeTextFile(
      withPolicy,
      CONFIG.replace(
        "archive_dir: data/archive",
        `archive_dir: ${dir}/archive\n    archive_after_hours: 24\n    max_store_mb: 1`,
      ),
    );
    assert.equal(
      await main(["archive", "--config", withPolicy, "--store", store, "--json"], out),
      0,
    );
    const r = JSON.parse(out.out.at(-1)!);
    assert.ok(r.archived_hours >= 2, JSON.stringify(r));
    assert.ok(
      r.archived_rows > 20_000 && r.archived_rows < 6_495 + 19_904 + 1 + 66,
      r.archived_rows,
    );
    assert.equal(
      await main(["status", "--config", withPolicy, "--store", store, "--json"], out),
      0,
    );
    const s = JSON.parse(out.out.at(-1)!).storage;
    assert.ok(s.archive_files >= 4, JSON.stringify(s));
    assert.equal(s.archive_oldest_hour, "2024-08-08T23:00Z");
    assert.equal(s.store_oldest_hour, "2024-08-09T00:00Z");
    assert.equal(s.caps.archive_after_hours, 24);

    // A bad cap is refused by the schema, naming the key.
    const bad = `${dir}/bad.yaml`;
    await Deno.writeTextFile(
      bad,
      CONFIG.replace("check_interval_minutes: 10", "check_interval_minutes: 0"),
    );
    assert.equal(await main(["archive", "--config", bad, "--store", store], out), 2);
    assert.match(out.err.at(-1)!, /storage\.retention\.check_interval_minutes/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
