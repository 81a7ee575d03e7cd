import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { gunzipChunks, type GunzipIssue, gunzipRecover } from "./gunzip.ts";

const text = Array.from({ length: 4_000 }, (_, i) => `${1_000 + i} {"x":${i}}`).join("\n") + "\n";
const data = new TextEncoder().encode(text);
const noise = new Uint8Array(300).map((_, i) => (i * 113 + 7) % 251 + 1);

async function streamed(bytes: Uint8Array): Promise<{ text: string; issue?: GunzipIssue }> {
  let issue: GunzipIssue | undefined;
  const chunks = async function* () {
    for (let i = 0; i < bytes.length; i += 4_096) yield bytes.subarray(i, i + 4_096);
  };
  const parts: Uint8Array[] = [];
  for await (const c of gunzipChunks(chunks(), () => Promise.resolve(bytes), (i) => (issue = i))) {
    parts.push(c);
  }
  const out = new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
  return issue ? { text: out, issue } : { text: out };
}

Deno.test("gunzipChunks() recovers what gzip -d recovers and names the damage", async () => {
  const gz = gzipSync(data);
  assert.deepEqual(await streamed(gz), { text });
  const half = data.indexOf(10, data.length >> 1) + 1;
  const multi = new Uint8Array([
    ...gzipSync(data.subarray(0, half)),
    ...gzipSync(data.subarray(half)),
  ]);
  assert.deepEqual(await streamed(multi), { text });
  const garbage = await streamed(new Uint8Array([...gz, ...noise]));
  assert.equal(garbage.text, text);
  assert.equal(garbage.issue?.kind, "trailing_garbage");
  const zeros = await streamed(new Uint8Array([...gz, 0, 0, 0, ...noise]));
  assert.equal(zeros.text, text);
  assert.equal(zeros.issue?.kind, "trailing_garbage");
  const cut = await streamed(gz.subarray(0, gz.length >> 1));
  assert.equal(cut.issue?.kind, "truncated");
  assert.ok(text.startsWith(cut.text) && cut.text.length > 1_000, `${cut.text.length} bytes kept`);
  assert.equal((await streamed(noise)).issue?.kind, "not_gzip");
});

Deno.test("gunzipRecover() stops at garbage between members like gzip -d", () => {
  const gz = gzipSync(data);
  const r = gunzipRecover(new Uint8Array([...gz, ...noise, ...gz]));
  assert.equal(new TextDecoder().decode(r.bytes), text);
  assert.equal(r.issue?.kind, "trailing_garbage");
});
