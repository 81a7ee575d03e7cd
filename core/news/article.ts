/** One article as a collector parsed it, before deduplication and scoring. */
export interface FetchedArticle {
  /** The link as received (absolute http(s) URL). */
  readonly link: string;
  /** The headline exactly as received (may contain HTML; escape when shown). */
  readonly title: string;
  /** Summary text as received, if any (cut to a bounded length by the collector). */
  readonly description?: string;
  /** Publisher name (feed title or NewsAPI `source.name`). */
  readonly publisher: string;
  /** Publication time in ms since the epoch, when the source gave a parseable one. */
  readonly publishedAt?: number;
}

/** An article as stored, identified by its canonical URL. */
export interface StoredArticle {
  /** Row id. */
  readonly id: number;
  /** Canonical URL. */
  readonly url: string;
  /** Headline as received. */
  readonly title: string;
  /** Summary as received, if any. */
  readonly description: string | null;
  /** Publisher. */
  readonly source: string;
  /** Publication time (ms). */
  readonly publishedAt: number;
  /** Symbols the article concerns. */
  readonly symbols: readonly string[];
  /** Hash of the normalized headline and summary (the sentiment cache key). */
  readonly contentHash: string;
}
