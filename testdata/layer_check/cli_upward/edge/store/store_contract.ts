import { DEMO } from "../cli/demo_command.ts";
/** The store must not reach up into the commands. */
export const CONTRACT = DEMO;
