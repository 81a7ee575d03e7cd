/**
 * The `backtest` command's help text.
 *
 * @module
 */

/** Usage of `deno task backtest` (printed by --help and after a usage error). */
export const BACKTEST_USAGE = `Usage: deno task backtest --data FILE... --strategy NAME [options]

  --data FILE        recording file (repeat, or list files after the options)
  --strategy NAME    flat | buy-and-hold | momentum | imbalance (with --model: the baseline
                     of the streams no package serves)
  --model DIR        exported model package (repeatable): it decides every stream it serves
                     (ONNX, the edge's inference path); one line per stream says who decides
  --json             print one JSON object instead of a table
  --html PATH        HTML report path (default reports/backtest-<strategy>.html; "none" to skip)
  --venue NAME       venue tag of the recordings (binance | binance_us; default binance;
                     coinbase | kraken | kucoin for storage archives of those venues)
  --symbol SYM       traded symbol (repeatable; default BTC/USDT)
  --stream V:SYM     traded stream, any venue (repeatable; default for a tickerml-events/1
                     recording: trading.streams of --config, else of config.yaml)
  --seed N           seed of the sampled latency (default 1)
  --latency-ms X     median order latency in ms (default 0)
  --latency-sigma S  log-normal sigma of the latency (default 0 = fixed)
  --config PATH      take fees, balances, sizing, risk, band and decision interval from this
                     config.yaml (default: built-in defaults; latency always from the flags)
  --queue-model M    resting-order queue model: risk-averse (default) or power:N
  --orders TYPE      market (default) or limit: decisions become post-only limits at the touch
  --store PATH|URL   also append the report to this edge store's backtest reports (an SQLite
                     file, or postgres://...[?schema=S]; the dashboard's "Backtest reports")
  --name TEXT        report name in the store (default "<strategy> <first file name>")`;
