import { B } from "../beta/b.ts";
/** Half of a cycle between top-level folders. */
export const A = () => B;
