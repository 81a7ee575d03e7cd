import { RUN } from "./cli/run_command.ts";
/** The entry point may import its cli folder. */
export const MAIN = RUN;
