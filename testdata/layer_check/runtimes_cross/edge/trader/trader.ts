import { PANEL } from "../../web/ui/panel.ts";
/** The edge must not import the web. */
export const TRADER = PANEL;
