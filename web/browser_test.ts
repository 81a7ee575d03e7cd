/**
 * Browser tests: the real page in Debian's Chromium (playwright-core), against a dashboard
 * server reading a store that a replay (separate process) fills while the page is open.
 * Skipped with a message when /usr/bin/chromium is absent, unless CI=true (then they fail).
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { chromium } from "playwright-core";
import { execSql, runSqlFixture, spawnReplay, tempStorePath } from "./testing/fixture_store.ts";
import { startDashboard } from "./main.ts";

const CHROMIUM = "/usr/bin/chromium";
const TOKEN = "browser-test-token-9d3a";
const ROOT = new URL("../", import.meta.url).pathname;

function chromiumPresent(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

const ci = Deno.env.get("CI") === "true";
const present = chromiumPresent();
if (!present && !ci) {
  console.log(
    `browser tests skipped: ${CHROMIUM} not found (apt-get install chromium; under CI=true they run and fail without it)`,
  );
}

/** Bundles the UI into `dir` with index.html and app.css beside it. */
async function buildUi(dir: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--platform",
      "browser",
      "--minify",
      "--output",
      `${dir}/app.js`,
      `${ROOT}web/ui/main.tsx`,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno bundle failed: ${new TextDecoder().decode(out.stderr)}`);
  for (const f of ["index.html", "app.css"]) {
    await Deno.copyFile(`${ROOT}web/static/${f}`, `${dir}/${f}`);
  }
}

Deno.test({
  name: "dashboard page: live numbers, controls with and without token, escaped headlines",
  ignore: !present && !ci,
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const { dir, path } = await tempStorePath();
  const ui = `${dir}/ui`;
  await Deno.mkdir(ui);
  await buildUi(ui);
  const logs: string[] = [];
  const server = await startDashboard(
    ["--store", path, "--port", "0", "--poll-ms", "200", "--config", `${ROOT}config.yaml`],
    { log: (l) => logs.push(l), env: { DASHBOARD_TOKEN: TOKEN }, staticDir: ui },
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("dialog", (d) => void d.accept());

    // 1. The store does not exist yet: the page says so and shows no books.
    await page.goto(server.url);
    await page.getByTestId("link-state").filter({ hasText: "live" }).waitFor();
    await page.getByTestId("store-error").waitFor();
    assert.equal(await page.getByTestId("tops").count(), 0);

    // 2. A replay (separate process) writes the store: the top of book appears and moves.
    const replay = spawnReplay(path);
    const bid = page.getByTestId("bid-binance BTC/USDT");
    const seen = new Set<string>(["(no book)"]);
    let running = true;
    const done = replay.status.finally(() => (running = false));
    while (running) {
      const text = await page.evaluate(() =>
        document.querySelector('[data-testid="bid-binance BTC/USDT"]')?.textContent ?? null
      );
      if (text) seen.add(text);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok((await done).success, "replay succeeded");
    await bid.waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="bid-binance BTC/USDT"]')?.textContent ===
          "61,602.01",
      undefined,
      { timeout: 15_000 },
    );
    seen.add(await bid.innerText());
    assert.ok(seen.size >= 2, `the best bid changed while the replay ran: ${[...seen]}`);
    console.log(`best bid values seen during the replay: ${[...seen].join(" -> ")}`);
    assert.equal(await page.getByTestId("ask-binance BTC/USDT").innerText(), "61,602.02");
    await page.getByTestId("store-error").waitFor({ state: "detached" });

    // 3. Trading rows arrive: equity shows and then changes, without reloading the page.
    await runSqlFixture(path);
    const equity = page.getByTestId("equity");
    await page.waitForFunction(
      () => document.querySelector('[data-testid="equity"]')?.textContent === "10,004.90",
    );
    execSql(
      path,
      `INSERT INTO portfolio_state (timestamp, run_id, cash, equity, realized_pnl, unrealized_pnl, fees_paid, drawdown, positions)
       VALUES (1723161900000, 'paper', 10012.5, 10012.5, 12.1, 0, 4, 0, '{}')`,
    );
    await page.waitForFunction(
      () => document.querySelector('[data-testid="equity"]')?.textContent === "10,012.50",
    );
    assert.equal(await equity.innerText(), "10,012.50");
    assert.equal(await page.getByTestId("risk-state").innerText(), "ACTIVE");
    assert.equal(await page.getByTestId("fills").locator("tbody tr").count(), 3);
    assert.equal(await page.getByTestId("open-orders").locator("tbody tr").count(), 1);

    // 3b. The portfolio by stream: the four configured streams plus the fixture's binance
    // BTC/USDT position (0.02 at the live mid 61,602.015 = 1,232.04), then the account row;
    // a stream's new realized P&L arrives live.
    const portfolio = page.getByTestId("portfolio-streams");
    assert.equal(await page.getByTestId("portfolio-stream").count(), 5);
    assert.match(await portfolio.innerText(), /binance_us ETH\/USDT\s+0\.000000\s+0\.00/);
    assert.match(await portfolio.innerText(), /binance BTC\/USDT\s+0\.020000\s+1,232\.04/);
    assert.match(await page.getByTestId("portfolio-total").innerText(), /Account\s+1,232\.04/);
    await page.getByTestId("portfolio-caps").getByText("binance exposure").waitFor();
    execSql(
      path,
      `INSERT INTO paper_positions VALUES ('paper', 'coinbase', 'BTC/USD', 0, '0',
         '-500000000000000000', '100000000000000000', NULL, '0', '0', '0')`,
    );
    await page.waitForFunction(() =>
      /coinbase BTC\/USD\s+0\.000000\s+0\.00\s+0\.00%\s+-0\.60/.test(
        (document.querySelector('[data-testid="portfolio-streams"]') as HTMLElement | null)
          ?.innerText ?? "",
      )
    );

    // 4. Headlines arrive as live events; the hostile one renders as text, runs nothing.
    const headlines = page.getByTestId("headlines");
    await headlines.getByText("<script>window.__pwned = 1</script>", { exact: false }).waitFor();
    assert.equal(
      await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
      undefined,
    );
    assert.equal(await headlines.locator("script, img").count(), 0);
    assert.equal(await headlines.locator('a[href^="javascript:"]').count(), 0);

    assert.deepEqual(problems, [], "no console errors while loading and updating");

    // 5. Controls: refused without the token, logged with it. (Chromium logs the refused
    // request's 401 as a console error: that one is expected.)
    await page.getByTestId("control-pause_entries").click();
    await page.getByTestId("control-result").filter({ hasText: "refused" }).waitFor();
    assert.match(await page.getByTestId("control-result").innerText(), /bearer token/);
    await page.getByTestId("token").fill(TOKEN);
    await page.getByTestId("control-pause_entries").click();
    await page.getByTestId("control-result").filter({ hasText: "logged as #1" }).waitFor();
    await page.getByTestId("control-log").getByText("pause_entries").waitFor();
    const db = new DatabaseSync(path, { readOnly: true });
    const rows = db.prepare("SELECT command, source, status FROM control_commands").all();
    db.close();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.command, "pause_entries");
    assert.match(String(rows[0]!.source), /^dashboard@127\.0\.0\.1$/);
    assert.ok(logs.some((l) => /refused: missing or wrong bearer token/.test(l)));

    const shot = `${dir}/dashboard.png`;
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    assert.deepEqual(problems, [
      "console: Failed to load resource: the server responded with a status of 401 (Unauthorized)",
    ], "no console errors but the refused control's 401");

    // 6. The stream drops: the page shows it and reconnects by itself.
    await page.evaluate(() => {
      (globalThis as { __marker?: number }).__marker = 1;
    });
    server.dropClients();
    await page.getByTestId("link-state").filter({ hasText: "reconnecting" }).waitFor();
    await page.getByTestId("link-state").filter({ hasText: "live" }).waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => (globalThis as { __marker?: number }).__marker), 1);
  } finally {
    await browser.close();
    await server.close();
  }
});
