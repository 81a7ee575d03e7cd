import { lexiconScore } from "../../core/sentiment/lexicon_scorer.ts";

const SET: { headlines: { text: string }[] } = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/news/labelled_headlines.json", import.meta.url)),
);
const HEADLINES = SET.headlines.map((h) => h.text);
const SUMMARY =
  "Derivatives data show <a href='https://x.example'>short liquidations</a> clustered above $60,500 " +
  "while spot ETF flows turned negative for a second day and traders warned of more volatility.";
let i = 0;

Deno.bench(
  "lexiconScore() one headline (time per article)",
  { group: "lexicon", baseline: true },
  () => {
    lexiconScore(HEADLINES[i++ % HEADLINES.length]!);
  },
);

Deno.bench(
  "lexiconScore() headline + HTML summary (time per article)",
  { group: "lexicon" },
  () => {
    lexiconScore(HEADLINES[i++ % HEADLINES.length]!, SUMMARY);
  },
);
