// --format koffi: the text of the definitions (koffi itself is not installed here): natural records as
// koffi.struct/union, the others packed with explicit padding, records with bitfields as integer arrays
// of their size and alignment with TypeScript views, and the load-time check of sizes and offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { renderKoffi } from '../../src/render/koffi.js';
import { findTarget } from '../../src/target/target.js';

const SRC = `typedef struct { double d; char c; } pair_t;
struct __attribute__((packed)) pk { char c; int i; short s[2]; };
struct flags { unsigned char kind; unsigned a : 3, b : 5; long long when; pair_t p; };
union u { int i; double d; char c[3]; };
struct ld { char c; long double x; void *p; struct pk k; unsigned long long n[2]; };
`;

function koffi(triple: string): string {
  const target = findTarget(triple)!;
  const res = analyzeSourceText(SRC, { target });
  const records = [...res.records, ...[...res.typedefs.values()].filter((r) => r.name === null)];
  return renderKoffi(
    records.filter((r) => r.name !== null || r.typedef !== undefined),
    target,
  );
}

test('natural records are koffi.struct and koffi.union with fixed-width member types', () => {
  const text = koffi('x86_64-linux-gnu');
  assert.match(text, /^import koffi from 'koffi';$/m);
  assert.match(
    text,
    /^export const pair_t = koffi\.struct\("pair_t", \{\n {2}"d": 'double',\n {2}"c": 'int8_t',\n\}\);$/m,
  );
  assert.match(
    text,
    /^export const u = koffi\.union\("u", \{\n {2}"i": 'int32_t',\n {2}"d": 'double',\n {2}"c": koffi\.array\('int8_t', 3\),\n\}\);$/m,
  );
  // aarch64's plain char is unsigned.
  assert.match(koffi('aarch64-linux-gnu'), /"c": 'uint8_t'/);
});

test('packed records and types koffi lacks get koffi.pack with explicit padding', () => {
  const text = koffi('x86_64-linux-gnu');
  assert.match(
    text,
    /export const pk = koffi\.pack\("pk", \{\n {2}"c": 'int8_t',\n {2}"i": 'int32_t',\n {2}"s": koffi\.array\('int16_t', 2\),\n\}\);/,
  );
  // long double: 16 bytes koffi cannot type, at 16 after 15 bytes of padding; the padding after
  // the packed member and at the end (the record is aligned to 16) is explicit too.
  assert.match(
    text,
    /export const ld = koffi\.pack\("ld", \{\n {2}"c": 'int8_t',\n {2}"_pad\d+": koffi\.array\('uint8_t', 15\),\n {2}"x": koffi\.array\('uint8_t', 16\),\n {2}"p": 'void \*',\n {2}"k": pk,\n {2}"_pad\d+": koffi\.array\('uint8_t', 7\),\n {2}"n": koffi\.array\('uint64_t', 2\),\n {2}"_pad\d+": koffi\.array\('uint8_t', 8\),\n\}\);/,
  );
});

test('records with bitfields: integers of their size and alignment, and a view class', async () => {
  const text = koffi('x86_64-linux-gnu');
  assert.match(text, /export const flags = koffi\.struct\("flags", \{ _bytes: koffi\.array\('uint64_t', 4\) \}\);/);
  // i686 aligns long long to 4 in a record: the bytes are 32-bit words there.
  assert.match(
    koffi('i686-linux-gnu'),
    /export const flags = koffi\.struct\("flags", \{ _bytes: koffi\.array\('uint32_t', 6\) \}\);/,
  );
  assert.match(text, /export class flags_view \{/);
  // The view part runs without koffi: read the bitfields of gcc's byte pattern back.
  const views = text.slice(text.indexOf('// Records with bitfields'));
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-koffi-'));
  writeFileSync(join(dir, 'views.ts'), views);
  const mod = await import(join(dir, 'views.ts'));
  const bytes = new Uint8Array(32);
  bytes[1] = 0b10101_011;
  const f = new mod.flags_view(new DataView(bytes.buffer));
  assert.deepEqual([f.a, f.b], [3, 21]);
});

test('the module checks koffi.sizeof and offsetof of each record at load', () => {
  const text = koffi('x86_64-linux-gnu');
  assert.match(text, /\[pair_t, 'pair_t', 16, \[\["d",0\],\["c",8\]\]\],/);
  assert.match(text, /\[ld, 'ld', 80, \[\["c",0\],\["x",16\],\["p",32\],\["k",40\],\["n",56\]\]\],/);
  assert.match(text, /if \(koffi\.sizeof\(type\) !== size\) throw new Error/);
  assert.match(text, /if \(koffi\.offsetof\(type, member\) !== offset\) throw new Error/);
});
