import type { JSX } from "preact";
import { dateTime, num, safeHref, signed, tone } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Panel } from "./common.tsx";

/**
 * Sentiment per symbol and recent headlines. Headlines are untrusted text: they are rendered as
 * text nodes (never as HTML) and only http(s) URLs become links.
 */
export function NewsPanel(props: { model: DashboardModel }): JSX.Element {
  const sentiment = props.model.overview.value?.sentiment ?? [];
  const headlines = props.model.headlines.value;
  return (
    <Panel title="News sentiment" id="news">
      {sentiment.length === 0 ? <Empty text="No hourly sentiment yet." /> : (
        <div class="kpis">
          {sentiment.map((s) => (
            <div class="kpi" key={s.symbol}>
              <span class="label">{s.symbol} · {s.count} articles · {s.regime}</span>
              <span class={`value ${tone(s.weighted_mean)}`}>{signed(s.weighted_mean, 2)}</span>
            </div>
          ))}
        </div>
      )}
      {headlines.length === 0
        ? <Empty text="No headlines." />
        : (
          <ul class="headlines" data-testid="headlines">
            {headlines.map((h) => {
              const href = safeHref(h.url);
              return (
                <li key={h.id}>
                  <span class={`score ${tone(h.sentiment)}`}>{num(h.sentiment, 2)}</span>
                  {href
                    ? (
                      <a href={href} target="_blank" rel="noopener noreferrer" class="title">
                        {h.title}
                      </a>
                    )
                    : <span class="title">{h.title}</span>}
                  <span class="meta">
                    {h.source} · {dateTime(h.published_at)} · {h.symbols.join(", ")}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
    </Panel>
  );
}
