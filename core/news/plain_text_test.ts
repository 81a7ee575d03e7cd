import assert from "node:assert/strict";
import { decodeEntities, escapeForTerminal, escapeHtml, plainText } from "./plain_text.ts";

Deno.test("plainText() drops tags, scripts and comments and decodes references", () => {
  assert.equal(
    plainText(
      `<p>Bitcoin <script>alert(1)</script><!-- x -->&#8217;s <a href="x">rally</a>&nbsp;&amp; more</p>`,
    ),
    "Bitcoin ’s rally & more",
  );
  assert.equal(plainText("a\u0000b\u202ec\r\n\td"), "a b c d");
  assert.equal(plainText("5 < 6 and 7 > 3"), "5 < 6 and 7 > 3");
});

Deno.test("decodeEntities() leaves unknown and invalid references alone", () => {
  assert.equal(decodeEntities("&bogus; &#0; &#xD800; &#x1F680;"), "&bogus; &#0; &#xD800; 🚀");
});

Deno.test("escapeHtml() escapes the five HTML specials", () => {
  assert.equal(
    escapeHtml(`<b a='1'>"x" & y</b>`),
    "&lt;b a=&#39;1&#39;&gt;&quot;x&quot; &amp; y&lt;/b&gt;",
  );
});

Deno.test("escapeForTerminal() makes ANSI escapes and controls visible and cuts long text", () => {
  assert.equal(escapeForTerminal("\x1b[31mred\x1b[0m\n"), "\\x1b[31mred\\x1b[0m\\x0a");
  assert.equal(escapeForTerminal("abc\u202Edef"), "abc\\u{202e}def");
  const long = escapeForTerminal("x".repeat(500), 10);
  assert.equal(long.length, 10);
  assert.ok(long.endsWith("…"));
});
