import assert from "node:assert/strict";
import { main } from "../main.ts";
import { memoryOutput } from "../../infra/cli/output.ts";

const CORPUS = new URL("../../testdata/corpus/", import.meta.url).pathname;

Deno.test("replay exits 0 on an unseen symbol and 1, naming file and reason, on a book it cannot build", async () => {
  const out = memoryOutput();
  assert.equal(await main(["replay", "--json", `${CORPUS}ethusdt_div16.gz`], out), 0);
  const eth = JSON.parse(out.out.at(-1)!);
  assert.deepEqual(Object.keys(eth.symbols), ["ETH/USDT"]);
  assert.equal(eth.best_bid, "3865.20250000");
  assert.equal(eth.usable, true);
  assert.deepEqual(out.err, []);

  assert.equal(await main(["replay", "--json", `${CORPUS}gap_no_resync.txt`], out), 1);
  assert.equal(JSON.parse(out.out.at(-1)!).usable, false);
  assert.match(
    out.err.at(-1)!,
    /^replay: .*gap_no_resync\.txt: XYZ\/USDT has 3 depth messages but no book at the end \(1 sequence gap/,
  );
  assert.equal(await main(["replay", `${CORPUS}out_of_order.txt`], out), 1);
  assert.match(out.err.at(-1)!, /out_of_order\.txt:3: receive time goes backwards/);
});

Deno.test("replay exits 2 on a snapshot only --symbol can attribute, and takes the --symbol", async () => {
  const out = memoryOutput();
  assert.equal(await main(["replay", `${CORPUS}ambiguous_snapshot.txt`], out), 2);
  assert.match(out.err.join("\n"), /pass --symbol AAA\/USDT/);
  assert.equal(await main(["replay", "--json", `${CORPUS}snapshot_only.txt`], out), 2);
  assert.equal(
    await main(["replay", "--json", "--symbol", "ABC/USDT", `${CORPUS}snapshot_only.txt`], out),
    0,
  );
  const s = JSON.parse(out.out.at(-1)!);
  assert.deepEqual(Object.keys(s.symbols), ["ABC/USDT"]);
  assert.equal(s.best_bid, "2.5");
  assert.equal(
    await main(["replay", "--symbol", "btc-usdt", `${CORPUS}snapshot_only.txt`], out),
    2,
  );
});
