import assert from "node:assert/strict";
import { FeedParseError, parseFeed } from "./feed_parser.ts";

const opts = { fallbackPublisher: "fallback.example" };

Deno.test("parseFeed() reads RSS 2.0: CDATA and HTML headlines as received, dates, guid links", () => {
  const feed = parseFeed(
    `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
      <title>Wire &amp; Co</title>
      <item><title><![CDATA[<b>BTC</b> & "ETH" rally]]></title><link>https://a.example/1</link>
        <pubDate>Thu, 08 Aug 2024 23:10:00 +0200</pubDate><description>&lt;p&gt;body&lt;/p&gt;</description></item>
      <item><title>2024</title><guid>https://a.example/2</guid><dc:date>2024-08-08T21:00:00Z</dc:date></item>
      <item><title>no permalink</title><guid isPermaLink="false">abc</guid></item>
      <item><title>relative</title><link>/news/4</link><pubDate>not a date</pubDate></item>
      <item><title>   </title><link>https://a.example/5</link></item>
      <item><title>js</title><link>javascript:alert(1)</link></item>
    </channel></rss>`,
    { ...opts, baseUrl: "https://a.example/feed.xml" },
  );
  assert.equal(feed.format, "rss");
  assert.equal(feed.publisher, "Wire & Co");
  assert.deepEqual(feed.items, [
    {
      link: "https://a.example/1",
      title: `<b>BTC</b> & "ETH" rally`,
      publisher: "Wire & Co",
      description: "<p>body</p>",
      publishedAt: Date.UTC(2024, 7, 8, 21, 10),
    },
    {
      link: "https://a.example/2",
      title: "2024",
      publisher: "Wire & Co",
      publishedAt: Date.UTC(2024, 7, 8, 21),
    },
    { link: "https://a.example/news/4", title: "relative", publisher: "Wire & Co" },
  ]);
  assert.equal(feed.skipped, 3);
  assert.deepEqual(feed.warnings, [
    "2 item(s) skipped: no http(s) link",
    "1 item(s) skipped: no headline",
  ]);
});

Deno.test("parseFeed() reads Atom (alternate link, html title) and RSS 1.0", () => {
  const atom = parseFeed(
    `<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Ledger</title>
      <entry><title type="html">&lt;i&gt;ETH&lt;/i&gt; up</title>
        <link rel="self" href="https://b.example/self"/><link rel="alternate" href="https://b.example/post"/>
        <updated>2024-08-08T10:00:00Z</updated><published>2024-08-08T09:00:00Z</published>
        <content type="html">full text</content></entry>
    </feed>`,
    opts,
  );
  assert.deepEqual(atom.items, [{
    link: "https://b.example/post",
    title: "<i>ETH</i> up",
    publisher: "Ledger",
    description: "full text",
    publishedAt: Date.UTC(2024, 7, 8, 9),
  }]);
  const rdf = parseFeed(
    `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Old</title></channel>
      <item><title>BTC news</title><link>https://c.example/x</link><dc:date>2024-08-08T00:00:00Z</dc:date></item>
    </rdf:RDF>`,
    opts,
  );
  assert.equal(rdf.format, "rdf");
  assert.equal(rdf.publisher, "Old");
  assert.equal(rdf.items[0]!.publishedAt, Date.UTC(2024, 7, 8));
});

Deno.test("parseFeed() bounds items, headlines and summaries", () => {
  const items = Array.from(
    { length: 30 },
    (_, i) =>
      `<item><title>${i === 3 ? "x".repeat(50) : `t${i}`}</title><link>https://d.example/${i}</link>
      <description>${"y".repeat(100)}</description></item>`,
  ).join("");
  const feed = parseFeed(`<rss><channel>${items}</channel></rss>`, {
    ...opts,
    maxItems: 10,
    maxTitle: 40,
    maxDescription: 20,
  });
  assert.equal(feed.items.length, 9);
  assert.equal(feed.items[0]!.description, "y".repeat(20));
  assert.equal(feed.publisher, "fallback.example");
  assert.deepEqual(feed.warnings, [
    "30 items; only the first 10 were read",
    "1 item(s) skipped: headline over 40 characters",
  ]);
});

Deno.test("parseFeed() salvages complete items of malformed XML and rejects what is no feed", async () => {
  const text = await Deno.readTextFile(
    new URL("../../testdata/news/malformed_rss.xml", import.meta.url),
  );
  const feed = parseFeed(text, opts);
  assert.deepEqual(feed.items.map((i) => i.title), [
    "Bitcoin rallies as ETF approval odds rise",
    "Q&A: what the halving means for miners",
    "Ether ETF flows turn positive",
  ]);
  assert.match(
    feed.warnings[0]!,
    /^malformed XML at line 4, column \d+: .*; salvaged 4 complete item\(s\)/,
  );
  assert.throws(() => parseFeed("<html><body>Not a feed</body></html>", opts), FeedParseError);
  assert.throws(() => parseFeed("<rss><channel><title>x</title>", opts), /malformed XML.*no item/);
  assert.throws(() => parseFeed("", opts), FeedParseError);
  assert.deepEqual(parseFeed("<rss><channel><title>Empty</title></channel></rss>", opts).items, []);
});

Deno.test("parseFeed() leaves nested DTD entities unexpanded (no entity bomb)", () => {
  const lol =
    `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>
<rss><channel><item><title>&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;</title><link>https://e.example/</link></item></channel></rss>`;
  const feed = parseFeed(lol, opts);
  assert.deepEqual(
    feed.items.map((i) => i.title),
    ["&f;".repeat(10)],
    "nested entities stay unexpanded",
  );
});
