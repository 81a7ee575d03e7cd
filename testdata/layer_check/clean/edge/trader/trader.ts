import { ENGINE } from "../../core/trading/engine/engine.ts";
import { READ } from "../../infra/store/decisions_repo.ts";
/** A runtime uses core and infra; "/trades/" in a regex is not a string. */
export const TRADER = [ENGINE, READ, /trades/.source].join(" ");
