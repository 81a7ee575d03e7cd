import { TOOL } from "../../tools/tool.ts";
/** Nothing imports tools. */
export const JOB = TOOL;
