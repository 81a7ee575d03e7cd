import { nsTextToMs } from "./receive_time.ts";

/** One recording line split into its receive time and its frame text. */
export interface RecordedLine {
  /** Receive time, epoch ms (from the line's `<ns>` prefix). */
  readonly receiveTime: number;
  /** The frame text after the first space. */
  readonly frame: string;
}

/** The message for a line that {@linkcode splitRecordedLine} rejects. */
export const RECORDED_LINE_ERROR = 'line does not start with "<ns> "';

/**
 * Splits a recording line `<receive ns> <frame>` (the format the harvester writes and
 * the replays and the trainer read).
 *
 * @param text One line, without its newline.
 * @returns The receive time and frame text, or undefined when the line does not start
 *   with a nanosecond time and a space (see {@linkcode RECORDED_LINE_ERROR}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitRecordedLine } from "./recorded_line.ts";
 * assert.deepEqual(splitRecordedLine('1795507964662000000 {"e":"trade"}'), {
 *   receiveTime: 1795507964662,
 *   frame: '{"e":"trade"}',
 * });
 * assert.equal(splitRecordedLine('{"e":"trade"}'), undefined);
 * ```
 */
export function splitRecordedLine(text: string): RecordedLine | undefined {
  const sp = text.indexOf(" ");
  const receiveTime = sp > 0 ? nsTextToMs(text.slice(0, sp)) : undefined;
  if (receiveTime === undefined) return undefined;
  return { receiveTime, frame: text.slice(sp + 1) };
}
