import assert from "node:assert/strict";
import { lexiconScore, tokenize } from "./lexicon_scorer.ts";
import { LEXICON_SCORER } from "./sentiment_score.ts";

interface Labelled {
  text: string;
  label: "positive" | "negative" | "neutral";
}

const SET: { headlines: Labelled[] } = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/news/labelled_headlines.json", import.meta.url)),
);

function labelOf(score: number): Labelled["label"] {
  return score >= 0.1 ? "positive" : score <= -0.1 ? "negative" : "neutral";
}

Deno.test("lexiconScore() labels the hand-labelled headline set with >= 90% accuracy per class", () => {
  const byClass = new Map<string, { ok: number; n: number; misses: string[] }>();
  for (const h of SET.headlines) {
    const c = byClass.get(h.label) ?? { ok: 0, n: 0, misses: [] };
    const got = labelOf(lexiconScore(h.text).score);
    c.n++;
    if (got === h.label) c.ok++;
    else c.misses.push(`${h.text} -> ${got}`);
    byClass.set(h.label, c);
  }
  assert.equal(byClass.size, 3);
  for (const [label, c] of byClass) {
    assert.ok(c.n >= 15, `${label}: at least 15 headlines`);
    assert.ok(c.ok / c.n >= 0.9, `${label}: ${c.ok}/${c.n}; misses: ${c.misses.join("; ")}`);
  }
});

Deno.test("lexiconScore() flips negated terms and scales intensified ones", () => {
  const crash = lexiconScore("Bitcoin crashes").score;
  const notCrash = lexiconScore("Bitcoin isn't crashing").score;
  assert.ok(crash < -0.5);
  assert.ok(notCrash > 0.3, `negated: ${notCrash}`);
  const hack = lexiconScore("Exchange hacked").score;
  const bigHack = lexiconScore("Exchange suffers massive hack").score;
  const dip = lexiconScore("Bitcoin dips").score;
  const slightDip = lexiconScore("Bitcoin dips slightly").score;
  assert.ok(bigHack < hack, `${bigHack} < ${hack}`);
  assert.equal(slightDip, dip, "a dampener after the term does not apply");
  assert.ok(lexiconScore("Bitcoin slightly dips").score > dip);
});

Deno.test("lexiconScore() knows crypto phrases: ETF approval, liquidations by side, rug pulls", () => {
  assert.ok(lexiconScore("ETF approval expected").score > 0.5);
  assert.ok(lexiconScore("$500M of shorts liquidated").score > 0.2);
  assert.ok(lexiconScore("$500M of longs liquidated").score < -0.4);
  assert.ok(lexiconScore("Liquidations spike").score < 0);
  assert.ok(lexiconScore("Token rug pull").score < -0.6);
  assert.match(lexiconScore("SEC approves ETF").rationale, /\+3\.0 approve etf/);
});

Deno.test("lexiconScore() weighs the clause after 'but' more and hedges lower the confidence", () => {
  assert.ok(lexiconScore("Bitcoin rallies but ETF outflows and selloff follow").score < 0);
  const plain = lexiconScore("Exchange hacked");
  const hedged = lexiconScore("Exchange may have been hacked");
  assert.equal(hedged.score, plain.score);
  assert.ok(hedged.confidence < plain.confidence);
  assert.match(hedged.rationale, /hedged/);
});

Deno.test("lexiconScore() gives neutral low-confidence scores without terms and stays in range", () => {
  const s = lexiconScore("Weekly podcast episode 42");
  assert.deepEqual(s, {
    score: 0,
    confidence: 0.2,
    rationale: "lexicon: no sentiment terms",
    scorer: LEXICON_SCORER,
  });
  const extreme = lexiconScore(
    "massive hack crash plunge collapse bankruptcy fraud exploit rug pull ponzi theft",
    "stolen drained insolvent panic",
  );
  assert.ok(extreme.score >= -1 && extreme.score < -0.9);
  assert.ok(extreme.confidence <= 0.85 && extreme.confidence > 0.5);
});

Deno.test("lexiconScore() reads HTML headlines as text and counts the summary at half weight", () => {
  assert.deepEqual(tokenize("<b>BTC</b> sell-off &amp; all-time lows"), [
    "btc",
    "sell-off",
    "all-time",
    "lows",
  ]);
  const headOnly = lexiconScore("Bitcoin surges");
  const withBody = lexiconScore("Bitcoin surges", "Traders cheer the rally");
  assert.ok(withBody.score > headOnly.score);
  assert.ok(lexiconScore("Update", "Bitcoin surges").score < headOnly.score);
});
