/**
 * Browser entry of the dashboard (bundled by `deno task build:web` into web/static/app.js).
 *
 * @module
 */
import { render } from "preact";
import { fetchOverview } from "./api.ts";
import { App } from "./app.tsx";
import { EventStreamClient } from "./event_stream.ts";
import { DashboardModel } from "./state.ts";

const model = new DashboardModel();
const stream = new EventStreamClient("/api/stream", {
  onOpen: async () => {
    model.load(await fetchOverview(), Date.now());
    model.link.value = "live";
  },
  onEvents: (events) => {
    model.apply(events, Date.now());
    // The store appeared or gained tables: reload what only the overview carries.
    if (events.some((e) => e.type === "store")) {
      fetchOverview().then((o) => model.load(o, Date.now())).catch(() => {});
    }
  },
  onDown: () => {
    model.link.value = "reconnecting";
  },
});
setInterval(() => (model.clock.value = Date.now()), 1000);
render(<App model={model} />, document.getElementById("app")!);
stream.start();
