import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { FetchedArticle } from "../../core/news/article.ts";

/** Limits and context of {@linkcode parseFeed}. */
export interface ParseFeedOptions {
  /** Resolves relative links (the feed's URL), if any. */
  readonly baseUrl?: string;
  /** Publisher name when the feed has no title. */
  readonly fallbackPublisher: string;
  /** Items beyond this are ignored. Default 500. */
  readonly maxItems?: number;
  /** Longer headlines are skipped as junk. Default 1000 characters. */
  readonly maxTitle?: number;
  /** Summaries are cut to this length. Default 2000 characters. */
  readonly maxDescription?: number;
}

/** A parsed feed. */
export interface ParsedFeed {
  /** "rss" (2.0 and 0.9x), "rdf" (RSS 1.0) or "atom". */
  readonly format: "rss" | "rdf" | "atom";
  /** The feed's title (publisher) or the fallback. */
  readonly publisher: string;
  /** Items with a headline and an absolute http(s) link. */
  readonly items: FetchedArticle[];
  /** Items dropped, with the reason. */
  readonly skipped: number;
  /** Problems that did not stop the parse (malformed XML salvaged, items dropped). */
  readonly warnings: string[];
}

/** The document is not an RSS or Atom feed, or nothing in it could be read. */
export class FeedParseError extends Error {
  /** @param message What was wrong. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FeedParseError";
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  processEntities: { enabled: true, maxTotalExpansions: 10_000, maxExpandedLength: 100_000 },
  isArray: (name) => name === "item" || name === "entry" || name === "link",
});

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The text of an element (string, `#text` of an element with attributes, first of a list). */
function textOf(v: unknown): string | undefined {
  if (Array.isArray(v)) return textOf(v[0]);
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (isNode(v)) return textOf(v["#text"]);
  return undefined;
}

function absoluteLink(raw: string | undefined, baseUrl: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = baseUrl ? new URL(raw.trim(), baseUrl) : new URL(raw.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function parseDate(...values: unknown[]): number | undefined {
  for (const v of values) {
    const text = textOf(v);
    if (!text) continue;
    const ms = Date.parse(text.trim());
    if (Number.isFinite(ms)) return ms;
  }
  return undefined;
}

function rssLink(item: Node): string | undefined {
  const links = Array.isArray(item.link) ? item.link : [];
  for (const l of links) {
    const t = isNode(l) ? (l["@_href"] as string | undefined) ?? textOf(l) : textOf(l);
    if (t) return t;
  }
  const guid = item.guid;
  if (isNode(guid) && guid["@_isPermaLink"] === "false") return undefined;
  return textOf(guid);
}

function atomLink(entry: Node): string | undefined {
  const links = (Array.isArray(entry.link) ? entry.link : []).filter(isNode);
  const pick = links.find((l) => (l["@_rel"] ?? "alternate") === "alternate") ?? links[0];
  return (pick?.["@_href"] as string | undefined) ?? textOf(entry.id);
}

interface Shape {
  format: ParsedFeed["format"];
  title: unknown;
  items: Node[];
  broken?: number;
}

function shapeOf(doc: Node): Shape | undefined {
  const rss = doc.rss;
  if (isNode(rss) && isNode(rss.channel)) {
    const items = rss.channel.item;
    return { format: "rss", title: rss.channel.title, items: Array.isArray(items) ? items : [] };
  }
  const rdf = doc.RDF;
  if (isNode(rdf)) {
    const items = rdf.item;
    const channel = isNode(rdf.channel) ? rdf.channel : {};
    return { format: "rdf", title: channel.title, items: Array.isArray(items) ? items : [] };
  }
  const feed = doc.feed;
  if (isNode(feed)) {
    const items = feed.entry;
    return { format: "atom", title: feed.title, items: Array.isArray(items) ? items : [] };
  }
  return undefined;
}

/** When the document is not well-formed, parse each complete item/entry on its own. */
function salvage(text: string): Shape | undefined {
  const root = /<(rss|(?:\w+:)?RDF|feed)\b/.exec(text);
  if (!root) return undefined;
  const format: Shape["format"] = root[1] === "rss" ? "rss" : root[1] === "feed" ? "atom" : "rdf";
  const tag = format === "atom" ? "entry" : "item";
  const blocks = text.match(new RegExp(`<${tag}[\\s>][\\s\\S]*?</${tag}>`, "g")) ?? [];
  const items: Node[] = [];
  for (const block of blocks) {
    try {
      const node = (parser.parse(`<x>${block}</x>`) as Node).x;
      const list = isNode(node) ? node[tag] : undefined;
      if (Array.isArray(list) && isNode(list[0])) items.push(list[0]);
    } catch {
      // an item broken beyond repair: skipped and counted below
    }
  }
  const head = text.slice(0, text.search(new RegExp(`<${tag}[\\s>]`)) >>> 0);
  const title = /<title[^>]*>(?:<!\[CDATA\[)?([\s\S]*?)(?:\]\]>)?<\/title>/.exec(head)?.[1];
  return { format, title, items, broken: blocks.length - items.length };
}

/**
 * Parses RSS 2.0, RSS 1.0 (RDF) or Atom text into articles. Headlines are kept as
 * received (after XML decoding; HTML inside stays). Malformed documents are salvaged
 * item by item with a warning; items without a headline or an http(s) link are skipped.
 *
 * @throws {FeedParseError} When the text is not a feed at all or nothing could be read.
 */
export function parseFeed(text: string, options: ParseFeedOptions): ParsedFeed {
  const maxItems = options.maxItems ?? 500;
  const maxTitle = options.maxTitle ?? 1000;
  const maxDescription = options.maxDescription ?? 2000;
  const warnings: string[] = [];
  let shape: Shape | undefined;
  const valid = XMLValidator.validate(text);
  if (valid === true) {
    try {
      shape = shapeOf(parser.parse(text) as Node);
    } catch (e) {
      throw new FeedParseError(`cannot parse the XML: ${(e as Error).message}`, { cause: e });
    }
    if (!shape) throw new FeedParseError("not an RSS or Atom feed (no rss, RDF or feed root)");
  } else {
    const { line, col, msg } = valid.err;
    shape = salvage(text);
    const where = `malformed XML at line ${line}, column ${col}: ${msg.replace(/\.$/, "")}`;
    if (!shape) throw new FeedParseError(where);
    if (shape.items.length === 0) throw new FeedParseError(`${where}; no item could be read`);
    const broken = shape.broken ? `, ${shape.broken} broken item(s) dropped` : "";
    warnings.push(`${where}; salvaged ${shape.items.length} complete item(s)${broken}`);
  }
  const publisher = textOf(shape.title)?.trim() || options.fallbackPublisher;
  const items: FetchedArticle[] = [];
  const reasons = new Map<string, number>();
  const skip = (why: string) => reasons.set(why, (reasons.get(why) ?? 0) + 1);
  for (const item of shape.items.slice(0, maxItems)) {
    const title = textOf(item.title)?.trim();
    const link = absoluteLink(
      shape.format === "atom" ? atomLink(item) : rssLink(item),
      options.baseUrl,
    );
    if (!title) {
      skip("no headline");
      continue;
    }
    if (title.length > maxTitle) {
      skip(`headline over ${maxTitle} characters`);
      continue;
    }
    if (!link) {
      skip("no http(s) link");
      continue;
    }
    const description = textOf(
      shape.format === "atom" ? item.summary ?? item.content : item.description ?? item.encoded,
    )?.trim();
    const publishedAt = parseDate(
      item.pubDate,
      item.date,
      item.published,
      item.updated,
      item.issued,
    );
    items.push({
      link,
      title,
      publisher,
      ...(description ? { description: description.slice(0, maxDescription) } : {}),
      ...(publishedAt !== undefined ? { publishedAt } : {}),
    });
  }
  if (shape.items.length > maxItems) {
    warnings.push(`${shape.items.length} items; only the first ${maxItems} were read`);
  }
  let skipped = 0;
  for (const [why, n] of reasons) {
    skipped += n;
    warnings.push(`${n} item(s) skipped: ${why}`);
  }
  return { format: shape.format, publisher, items, skipped, warnings };
}
