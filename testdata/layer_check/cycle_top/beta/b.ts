import { A } from "../alpha/a.ts";
/** The other half. */
export const B = () => A;
