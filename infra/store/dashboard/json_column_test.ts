import assert from "node:assert/strict";
import { z } from "zod";
import { parseJsonColumn } from "./json_column.ts";

Deno.test("parseJsonColumn() falls back on missing, malformed or unexpected JSON", () => {
  const schema = z.array(z.number());
  assert.deepEqual(parseJsonColumn("[1,2]", schema, []), [1, 2]);
  assert.deepEqual(parseJsonColumn(null, schema, []), []);
  assert.deepEqual(parseJsonColumn("", schema, []), []);
  assert.deepEqual(parseJsonColumn("[1,", schema, []), []);
  assert.deepEqual(parseJsonColumn('["a"]', schema, []), []);
  assert.deepEqual(parseJsonColumn(7, schema, [9]), [9]);
});
