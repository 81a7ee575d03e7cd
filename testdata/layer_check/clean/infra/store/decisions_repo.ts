import { ENGINE } from "../../core/trading/engine/engine.ts";
/** The only place SQL names a table. */
export const READ = `SELECT seq FROM paper_decisions WHERE tag = '${ENGINE}'`;
