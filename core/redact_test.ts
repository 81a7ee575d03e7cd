import assert from "node:assert/strict";
import { redactSecrets } from "./redact.ts";

Deno.test("redactSecrets() hides URL passwords and known secret values", () => {
  const url = "postgres://tickerml:pa%24%24word-42@db.local:5432/tickerml";
  const msg = `Invalid URL: '${url}' (password pa$$word-42, raw pa%24%24word-42)`;
  const out = redactSecrets(msg, [url, "newsapi-key-123"]);
  assert.doesNotMatch(out, /pa\$\$word-42|pa%24%24word-42/);
  assert.match(out, /postgres:\/\/tickerml:\*\*\*@db\.local:5432/);
  assert.equal(redactSecrets("key=newsapi-key-123&q=btc", ["newsapi-key-123"]), "key=***&q=btc");
  assert.equal(redactSecrets("http://127.0.0.1:5000/api"), "http://127.0.0.1:5000/api");
  assert.equal(redactSecrets("nothing here", [undefined, ""]), "nothing here");
});
