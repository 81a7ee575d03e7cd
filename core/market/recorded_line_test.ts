import assert from "node:assert/strict";
import { splitRecordedLine } from "./recorded_line.ts";

Deno.test("splitRecordedLine() splits the ns prefix from the frame", () => {
  assert.deepEqual(splitRecordedLine("1723161253937085768 {} x"), {
    receiveTime: 1723161253937.0857,
    frame: "{} x",
  });
  assert.deepEqual(splitRecordedLine("1795507964662000000 "), {
    receiveTime: 1795507964662,
    frame: "",
  });
});

Deno.test("splitRecordedLine() rejects lines without a positive ns time and a space", () => {
  for (const text of ["", "{}", " 1 {}", "12x {}", "0 {}", "1795507964662000000"]) {
    assert.equal(splitRecordedLine(text), undefined, text);
  }
});
