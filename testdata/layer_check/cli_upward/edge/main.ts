import { DEMO } from "./cli/demo_command.ts";
/** The entry point may. */
export const MAIN = DEMO;
