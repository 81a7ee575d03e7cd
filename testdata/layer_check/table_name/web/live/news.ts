/** A table name in a plain string. */
export const NEWS = "news_articles";
