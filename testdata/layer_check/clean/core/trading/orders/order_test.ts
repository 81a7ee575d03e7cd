import { ENGINE } from "../engine/engine.ts";
/** A test may reach across sibling folders. */
export const SEEN = ENGINE;
