import assert from "node:assert/strict";
import { scanSource } from "./layer_scan.ts";

Deno.test("static, re-exported, side-effect and dynamic imports are found; commented ones are not", () => {
  const s = scanSource([
    'import type { A } from "./a.ts";',
    'export { b } from "../b.ts";',
    'import "./c.ts";',
    "/* import { d } from './d.ts'; */",
    'const e = await import("./e.ts");',
    'const f = { from: "./not_an_import.ts" };',
  ].join("\n"));
  assert.deepEqual(s.imports.map((i) => `${i.line} ${i.specifier}`), [
    "1 ./a.ts",
    "2 ../b.ts",
    "3 ./c.ts",
    "5 ./e.ts",
  ]);
  assert.deepEqual(s.strings.map((x) => x.text), ["./not_an_import.ts"]);
});

Deno.test("templates keep their literal parts, nested templates and braces included", () => {
  const s = scanSource([
    "const q = `SELECT * FROM ${table} WHERE a = '${f({ x: `in ${y}` })}'`;",
    "const r = `plain`;",
  ].join("\n"));
  assert.deepEqual(s.strings.map((x) => `${x.line} ${x.text}`), [
    "1 in ${}",
    "1 SELECT * FROM ${} WHERE a = '${}'",
    "2 plain",
  ]);
});

Deno.test("a regex literal is not a string, a division is not a regex", () => {
  const s = scanSource([
    'const ok = /"quoted"/.test(s) && /[/"]/.test(t);',
    'const half = a / 2 / b; const p = "x/y";',
  ].join("\n"));
  assert.deepEqual(s.strings.map((x) => `${x.line} ${x.text}`), ["2 x/y"]);
});
