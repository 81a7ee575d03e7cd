import { signal } from "@preact/signals";
import type { JSX } from "preact";
import { CONTROL_COMMANDS, type ControlCommand } from "../../live/types.ts";
import { sendControl } from "../api.ts";
import { clock } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Panel } from "./common.tsx";

const LABELS: Record<ControlCommand, string> = {
  pause_entries: "Pause entries",
  resume: "Resume",
  flatten_all: "Flatten all",
  kill_switch: "Kill switch",
  reload_model: "Reload model",
};
const CONFIRM: Partial<Record<ControlCommand, string>> = {
  flatten_all: "Close every position at market?",
  kill_switch: "Engage the kill switch (cancel all, flatten, halt)?",
};

/** The operator's token: kept in this tab's memory only, never sent anywhere but the header. */
const token = signal("");
const result = signal<{ ok: boolean; text: string } | null>(null);

/**
 * Controls (pause entries, resume, flatten all, kill switch, reload model) and their log.
 * Each button POSTs with the bearer token the operator typed; the server refuses without it.
 */
export function ControlsPanel(props: { model: DashboardModel }): JSX.Element {
  const enabled = props.model.overview.value?.controls_enabled ?? false;
  const log = props.model.controls.value;
  const send = async (command: ControlCommand) => {
    const question = CONFIRM[command];
    if (question && !globalThis.confirm(question)) return;
    const r = await sendControl(command, token.value.trim());
    result.value = r.ok
      ? { ok: true, text: `${LABELS[command]} logged as #${r.row.id} (${r.row.status})` }
      : { ok: false, text: `${LABELS[command]} refused: ${r.error}` };
  };
  return (
    <Panel title="Controls" id="controls">
      <p class="meta">
        {enabled
          ? "Controls need the dashboard token (DASHBOARD_TOKEN)."
          : "Read-only: the server has no DASHBOARD_TOKEN, every control is refused."}
      </p>
      <form class="token" onSubmit={(e) => e.preventDefault()}>
        <label>
          Token{" "}
          <input
            type="password"
            autocomplete="off"
            data-testid="token"
            value={token.value}
            onInput={(e) => (token.value = (e.currentTarget as HTMLInputElement).value)}
          />
        </label>
      </form>
      <div class="buttons">
        {CONTROL_COMMANDS.map((c) => (
          <button
            type="button"
            key={c}
            class={c === "kill_switch" ? "danger" : ""}
            data-testid={`control-${c}`}
            onClick={() => void send(c)}
          >
            {LABELS[c]}
          </button>
        ))}
      </div>
      {result.value && (
        <p class={result.value.ok ? "ok" : "bad"} data-testid="control-result">
          {result.value.text}
        </p>
      )}
      <h3>Control log</h3>
      {log.length === 0
        ? <Empty text="No control actions yet." />
        : (
          <ul class="plain" data-testid="control-log">
            {log.map((c) => (
              <li key={c.id}>
                #{c.id} {clock(c.ts)} {c.command} by {c.source}: {c.status}
                {c.detail ? ` (${c.detail})` : ""}
              </li>
            ))}
          </ul>
        )}
    </Panel>
  );
}
