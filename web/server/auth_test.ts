import assert from "node:assert/strict";
import { bearerMatches, sameOrigin } from "./auth.ts";

Deno.test("bearerMatches() accepts only `Bearer <token>` with the configured token", async () => {
  assert.equal(await bearerMatches("Bearer abc", "abc"), true);
  assert.equal(await bearerMatches("bearer abc", "abc"), true);
  assert.equal(await bearerMatches("Bearer abcd", "abc"), false);
  assert.equal(await bearerMatches("abc", "abc"), false);
  assert.equal(await bearerMatches("Basic abc", "abc"), false);
  assert.equal(await bearerMatches(undefined, "abc"), false);
  assert.equal(await bearerMatches("Bearer ", ""), false);
  assert.equal(await bearerMatches("Bearer abc", undefined), false, "no token: read-only");
});

Deno.test("sameOrigin() refuses a foreign Origin and accepts none or our own", () => {
  assert.equal(sameOrigin(undefined, "127.0.0.1:5000"), true);
  assert.equal(sameOrigin("http://127.0.0.1:5000", "127.0.0.1:5000"), true);
  assert.equal(sameOrigin("http://evil.example", "127.0.0.1:5000"), false);
  assert.equal(sameOrigin("null", "127.0.0.1:5000"), false);
});
