import type { JSX } from "preact";
import { clock, num, pct } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Kpi, Panel } from "./common.tsx";

/** The latest model decision: action probabilities, size, risk and the attention heatmap. */
export function DecisionPanel(props: { model: DashboardModel }): JSX.Element {
  const d = props.model.decision.value;
  if (!d) {
    return (
      <Panel title="Model decision" id="decision">
        <Empty text="No predictions yet." />
      </Panel>
    );
  }
  const probs = Object.entries(d.action_probs);
  return (
    <Panel title="Model decision" id="decision">
      <div class="kpis">
        <Kpi label="Action" value={d.action} testid="decision-action" />
        <Kpi label="Size" value={pct(d.position_size, 1)} />
        <Kpi label="Risk" value={num(d.risk_score, 2)} />
        <Kpi label="Latency" value={`${num(d.latency_ms, 1)} ms`} />
      </div>
      <p class="meta">
        {d.source} · {d.venue} {d.symbol} · {d.model_version} · {clock(d.time)}
      </p>
      <div class="probs">
        {probs.map(([name, p]) => (
          <div class="prob" key={name}>
            <span class="label">{name}</span>
            <div class="track">
              <div
                class="fill ok"
                style={{ width: `${(Math.max(0, Math.min(1, p)) * 100).toFixed(1)}%` }}
              />
            </div>
            <span class="n">{pct(p, 1)}</span>
          </div>
        ))}
      </div>
      {d.attention
        ? <Heatmap matrix={d.attention} />
        : <Empty text="No attention weights stored." />}
    </Panel>
  );
}

/** Attention weights as a grid of cells whose opacity is the weight (row-normalized). */
export function Heatmap(props: { matrix: number[][] }): JSX.Element {
  const rows = props.matrix.length;
  const cols = Math.max(1, ...props.matrix.map((r) => r.length));
  const cell = Math.max(2, Math.floor(240 / Math.max(rows, cols)));
  return (
    <figure class="heatmap">
      <svg
        viewBox={`0 0 ${cols * cell} ${rows * cell}`}
        role="img"
        aria-label={`attention ${rows}x${cols}`}
      >
        {props.matrix.flatMap((row, i) => {
          const max = Math.max(...row, 1e-12);
          return row.map((w, j) => (
            <rect
              key={`${i}:${j}`}
              x={j * cell}
              y={i * cell}
              width={cell}
              height={cell}
              fill-opacity={(w / max).toFixed(3)}
              class="cell"
            />
          ));
        })}
      </svg>
      <figcaption>Attention (query step × key step), {rows}×{cols}</figcaption>
    </figure>
  );
}
