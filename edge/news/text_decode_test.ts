import assert from "node:assert/strict";
import { decodeFeedText } from "./text_decode.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

Deno.test("decodeFeedText() follows the BOM, then the header charset, then the XML declaration", () => {
  assert.deepEqual(
    decodeFeedText(
      Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8("é")]),
      "text/xml; charset=iso-8859-1",
    ),
    {
      text: "é",
      charset: "utf-8 (BOM)",
    },
  );
  const utf16 = Uint8Array.from([0xff, 0xfe, 0x41, 0x00, 0xe9, 0x00]);
  assert.equal(decodeFeedText(utf16, null).text, "Aé");
  const decl = latin1(`<?xml version="1.0" encoding="windows-1252"?><t>\x93caf\xe9\x94</t>`);
  assert.deepEqual(decodeFeedText(decl, null), {
    text: `<?xml version="1.0" encoding="windows-1252"?><t>“café”</t>`,
    charset: "windows-1252",
  });
  assert.equal(
    decodeFeedText(latin1("caf\xe9"), 'application/rss+xml; charset="ISO-8859-1"').text,
    "café",
  );
});

Deno.test("decodeFeedText() repairs wrong declarations both ways, with a warning", () => {
  const wrongUtf8 = decodeFeedText(latin1("Z\xfcrich"), "text/xml; charset=UTF-8");
  assert.equal(wrongUtf8.text, "Zürich");
  assert.equal(wrongUtf8.charset, "windows-1252");
  assert.match(wrongUtf8.warning!, /not valid UTF-8/);
  const wrongLatin = decodeFeedText(utf8("Zürich"), "text/xml; charset=iso-8859-1");
  assert.equal(wrongLatin.text, "Zürich");
  assert.match(wrongLatin.warning!, /declared iso-8859-1 but the bytes are UTF-8/);
  const unknown = decodeFeedText(utf8("ok é"), "text/xml; charset=x-klingon");
  assert.equal(unknown.text, "ok é");
  assert.match(unknown.warning!, /unknown charset "x-klingon"/);
  assert.equal(
    decodeFeedText(utf8("plain ascii"), "text/xml; charset=iso-8859-1").warning,
    undefined,
  );
});
