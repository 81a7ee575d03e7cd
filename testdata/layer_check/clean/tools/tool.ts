import { MAIN } from "../edge/main.ts";
/** Tools may import anything. */
export const TOOL = MAIN;
