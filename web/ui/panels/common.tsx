import type { ComponentChildren, JSX } from "preact";

/** A titled dashboard panel. */
export function Panel(
  props: { title: string; id: string; wide?: boolean; children: ComponentChildren },
): JSX.Element {
  return (
    <section class={props.wide ? "panel wide" : "panel"} id={props.id} data-testid={props.id}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** Placeholder for a panel without data. */
export function Empty(props: { text: string }): JSX.Element {
  return <p class="empty">{props.text}</p>;
}

/** A labelled figure. */
export function Kpi(
  props: { label: string; value: string; tone?: string; testid?: string },
): JSX.Element {
  return (
    <div class="kpi">
      <span class="label">{props.label}</span>
      <span class={`value ${props.tone ?? ""}`} data-testid={props.testid}>{props.value}</span>
    </div>
  );
}

/** A horizontal gauge of `value` against `limit` (both fractions). */
export function Gauge(props: { label: string; value: number; limit: number }): JSX.Element {
  const ratio = props.limit > 0 ? Math.min(1, Math.max(0, props.value / props.limit)) : 0;
  const level = ratio >= 1 ? "bad" : ratio >= 0.7 ? "warn" : "ok";
  return (
    <div class="gauge">
      <span class="label">
        {props.label}: {(props.value * 100).toFixed(2)}% of {(props.limit * 100).toFixed(2)}%
      </span>
      <div class="track">
        <div class={`fill ${level}`} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
