import type { JSX } from "preact";
import { clock, DASH, num, signed, tone } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Panel } from "./common.tsx";

/** Positions and working orders, with the queue-ahead estimate of resting limits. */
export function PositionsPanel(props: { model: DashboardModel }): JSX.Element {
  const positions = props.model.positions.value;
  const orders = props.model.orders.value;
  return (
    <Panel title="Positions and open orders" id="positions">
      {positions.length === 0 ? <Empty text="Flat." /> : (
        <table>
          <thead>
            <tr>
              <th>Venue</th>
              <th>Symbol</th>
              <th>Qty</th>
              <th>Avg price</th>
              <th>Unrealized</th>
              <th>Realized (net)</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => (
              <tr key={`${p.venue} ${p.symbol}`}>
                <td>{p.venue}</td>
                <td>{p.symbol}</td>
                <td class="n">{num(p.qty, 6)}</td>
                <td class="n">{num(p.avg_price)}</td>
                <td class={`n ${tone(p.unrealized_pnl)}`}>{signed(p.unrealized_pnl)}</td>
                <td class={`n ${tone(p.realized_pnl)}`}>{signed(p.realized_pnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Open orders</h3>
      {orders.length === 0 ? <Empty text="No working orders." /> : (
        <table data-testid="open-orders">
          <thead>
            <tr>
              <th>Id</th>
              <th>Book</th>
              <th>Side</th>
              <th>Type</th>
              <th>Price</th>
              <th>Filled / size</th>
              <th>Queue ahead</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>{o.id}</td>
                <td>{o.venue} {o.symbol}</td>
                <td class={o.side === "buy" ? "up" : "down"}>{o.side}</td>
                <td>{o.type} {o.tif ?? ""}{o.reduce_only ? " reduce-only" : ""}</td>
                <td class="n">{o.price === null ? "market" : num(o.price)}</td>
                <td class="n">{num(o.filled, 6)} / {num(o.size, 6)}</td>
                <td class="n">{o.queue_ahead === null ? DASH : num(o.queue_ahead, 6)}</td>
                <td>{clock(o.submit_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/** The paper trade log (fills), newest first. */
export function FillsPanel(props: { model: DashboardModel }): JSX.Element {
  const fills = props.model.fills.value;
  return (
    <Panel title="Trade log" id="fills">
      {fills.length === 0 ? <Empty text="No fills yet." /> : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Order</th>
                <th>Book</th>
                <th>Side</th>
                <th>Price</th>
                <th>Size</th>
                <th>Fee</th>
                <th>Liq.</th>
                <th>Tag</th>
              </tr>
            </thead>
            <tbody>
              {fills.map((f) => (
                <tr key={f.id}>
                  <td>{clock(f.time)}</td>
                  <td>{f.order_id}</td>
                  <td>{f.venue} {f.symbol}</td>
                  <td class={f.side === "buy" ? "up" : "down"}>{f.side}</td>
                  <td class="n">{num(f.price)}</td>
                  <td class="n">{num(f.size, 6)}</td>
                  <td class="n">{num(f.fee, 4)}</td>
                  <td>{f.liquidity}</td>
                  <td>{f.tag}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
