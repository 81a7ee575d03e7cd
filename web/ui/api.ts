import type { BarView, ControlCommand, ControlView, Overview } from "../live/types.ts";

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return await res.json() as T;
}

/** Loads the overview. */
export function fetchOverview(): Promise<Overview> {
  return getJson<Overview>("/api/overview");
}

/** Loads 1-minute bars of one book. */
export function fetchBars(venue: string, symbol: string): Promise<BarView[]> {
  const q = new URLSearchParams({ venue, symbol, limit: "500" });
  return getJson<BarView[]>(`/api/bars?${q}`);
}

/** Result of a control request. */
export type ControlResult = { ok: true; row: ControlView } | { ok: false; error: string };

/** Sends a control command with the bearer token. */
export async function sendControl(command: ControlCommand, token: string): Promise<ControlResult> {
  const res = await fetch(`/api/control/${command}`, {
    method: "POST",
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  return res.ok ? { ok: true, row: body as ControlView } : {
    ok: false,
    error: String((body as { error?: string }).error ?? `HTTP ${res.status}`),
  };
}
