import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256Hex } from "./hash.ts";

Deno.test("sha256Hex() matches FIPS 180-4 test vectors", () => {
  assert.equal(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(
    sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

Deno.test("sha256Hex() agrees with node:crypto around block boundaries and on UTF-8", () => {
  for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
    const s = "x".repeat(n);
    assert.equal(sha256Hex(s), createHash("sha256").update(s).digest("hex"), `length ${n}`);
  }
  const u = "prix €, 価格";
  assert.equal(sha256Hex(u), createHash("sha256").update(u).digest("hex"));
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
  assert.equal(sha256Hex(bytes), createHash("sha256").update(bytes).digest("hex"));
});
