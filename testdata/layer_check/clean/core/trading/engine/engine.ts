import { BOOK } from "../../market/book.ts";
import { ORDER } from "../orders/order.ts";
// import { X } from "../../../edge/trader/trader.ts"; (a comment is not an import)
/** An engine. */
export const ENGINE = `${BOOK}/${ORDER}`;
