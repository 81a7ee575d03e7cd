import { BOOK } from "../../market/book.ts";
import { ENGINE } from "../engine/engine.ts";
/** core/trading → core/market, and orders → engine. */
export const FEE = () => [BOOK, ENGINE];
