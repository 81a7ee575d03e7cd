import type { JSX } from "preact";
import type { BookDepth } from "../../live/types.ts";
import { clock, DASH, num } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Panel } from "./common.tsx";

/** Per-venue top of book with spread and age, the selected book's depth chart and the tape. */
export function BooksPanel(props: { model: DashboardModel }): JSX.Element {
  const m = props.model;
  const books = m.books.value;
  const now = m.clock.value;
  const selected = m.selectedBook.value;
  const depth = m.depth.value[selected];
  const latest = Math.max(0, ...books.map((b) => b.time));
  return (
    <Panel title="Order books" id="books" wide>
      {books.length === 0 ? <Empty text="No books in the store yet." /> : (
        <table data-testid="tops">
          <thead>
            <tr>
              <th>Book</th>
              <th>Bid size</th>
              <th>Bid</th>
              <th>Ask</th>
              <th>Ask size</th>
              <th>Spread (bps)</th>
              <th>Last change</th>
            </tr>
          </thead>
          <tbody>
            {books.map((b) => {
              const key = `${b.venue} ${b.symbol}`;
              // Age against the newest book: a replayed store has old wall-clock times.
              const lag = latest - b.time;
              return (
                <tr
                  key={key}
                  class={key === selected ? "selected" : ""}
                  onClick={() => (m.selectedBook.value = key)}
                >
                  <td>{key}</td>
                  <td class="n">{num(b.bid_size, 4)}</td>
                  <td class="n up" data-testid={`bid-${key}`}>{num(b.bid)}</td>
                  <td class="n down" data-testid={`ask-${key}`}>{num(b.ask)}</td>
                  <td class="n">{num(b.ask_size, 4)}</td>
                  <td class="n">{num(b.spread_bps, 3)}</td>
                  <td class={now - b.time > 60_000 && lag > 5000 ? "stale" : ""}>
                    {clock(b.time)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div class="split">
        <div>
          <h3>Depth {selected || DASH}</h3>
          {depth
            ? <DepthChart depth={depth} />
            : <Empty text="Waiting for the next book update." />}
        </div>
        <div>
          <h3>Tape</h3>
          <div class="scroll short">
            <table>
              <tbody data-testid="tape">
                {m.trades.value.slice(0, 20).map((t) => (
                  <tr key={t.seq}>
                    <td>{clock(t.time)}</td>
                    <td>{t.venue} {t.symbol}</td>
                    <td class={`n ${t.side === "buy" ? "up" : "down"}`}>{num(t.price)}</td>
                    <td class="n">{num(t.size, 5)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </Panel>
  );
}

const W = 420;
const H = 160;

/** Cumulative depth as two stepped areas (SVG), bids left of the mid, asks right. */
export function DepthChart(props: { depth: BookDepth }): JSX.Element {
  const { bids, asks, mid, spread_bps } = props.depth;
  if (bids.length === 0 || asks.length === 0) return <Empty text="One side is empty." />;
  const lo = bids[bids.length - 1]![0];
  const hi = asks[asks.length - 1]![0];
  const maxQty = Math.max(bids[bids.length - 1]![1], asks[asks.length - 1]![1]);
  const x = (p: number) => ((p - lo) / (hi - lo || 1)) * W;
  const y = (q: number) => H - (q / (maxQty || 1)) * (H - 10);
  const path = (levels: [number, number][]) => {
    let d = `M${x(levels[0]![0]).toFixed(1)},${H}`;
    let prevQ = 0;
    for (const [p, q] of levels) {
      d += ` L${x(p).toFixed(1)},${y(prevQ).toFixed(1)} L${x(p).toFixed(1)},${y(q).toFixed(1)}`;
      prevQ = q;
    }
    const last = levels[levels.length - 1]!;
    return `${d} L${x(last[0]).toFixed(1)},${H} Z`;
  };
  return (
    <figure class="depth">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="depth chart">
        <path d={path(bids)} class="bids" />
        <path d={path(asks)} class="asks" />
        {mid !== null && <line x1={x(mid)} x2={x(mid)} y1={0} y2={H} class="mid" />}
      </svg>
      <figcaption>
        {num(lo)} … {num(hi)} · mid {num(mid)} · spread {num(spread_bps, 3)} bps · depth{" "}
        {num(maxQty, 3)}
      </figcaption>
    </figure>
  );
}
