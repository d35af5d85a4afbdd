// Forced (explicit) alignments: which members gcc records as aligned by the user (DECL_USER_ALIGN,
// emitted as DW_AT_alignment, printed by pahole as __attribute__((__aligned__(N)))) and to what,
// worked out from the source by layoutof and read back from gcc's own DWARF of the same source. Every
// member of every record must agree, on the host and on each cross target that is installed, for
// hand-written cases (attributes that stand, are lost or are capped; typedefs, records and arrays
// that carry one; packing, #pragma pack and gcc's second layout pass, bitfields, unions, qualifiers,
// the records that arm and riscv64 give a scalar mode) and for generated records. The views then
// print them as pahole does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { analyzeBinary } from '../../src/binary/index.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { renderText } from '../../src/render/text.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { toJson } from '../../src/render/json.js';
import { unnamedRecordOf, type RecordType } from '../../src/model/model.js';
import { findTarget } from '../../src/target/target.js';
import { haveTool } from '../support/gcc-truth.js';
import { generateProgram } from '../support/gen.js';

const CASES = `
typedef int aint16 __attribute__((aligned(16)));
typedef aint16 aint16b;
typedef int aint2 __attribute__((aligned(2)));
typedef long along2 __attribute__((aligned(2)));
typedef char achar1 __attribute__((aligned(1)));
enum __attribute__((aligned(8))) ae { AE0 };
struct P { char x[0]; } __attribute__((aligned(64)));
typedef struct P PT;
struct Q { int a; struct P p; };
struct A {
  char c0;
  int own __attribute__((aligned(16)));
  int lost __attribute__((aligned(2)));
  aint16 t16;
  aint2 t2;
  struct P p;
  struct Q q;
  struct P parr[2];
  _Alignas(8) int as8;
  aint16 t16a __attribute__((aligned(8)));
  char ch;
  long l __attribute__((aligned(32)));
};
struct __attribute__((packed)) B { char c; int i; aint16 t16; int ia __attribute__((aligned(4))); struct P p; char c2; };
#pragma pack(push, 2)
struct C { char c; aint16 t16; int ia __attribute__((aligned(8))); long l; };
#pragma pack(pop)
struct D { char c; int bf : 3 __attribute__((aligned(8))); int bf2 : 5; aint16 bf3 : 4; int : 0; char z; };
struct E { char c; const aint16 ct; volatile struct P vp; aint16 *ptr; };
struct F { char c; int x __attribute__((packed)); aint16 y __attribute__((packed)); };
struct S1 { char c; int b32 : 32 __attribute__((aligned(2))); };
struct S2 { int b32 : 32 __attribute__((aligned(2))); char c; };
struct S3 { char c; short b16 : 16 __attribute__((aligned(1))); int b8 : 8 __attribute__((aligned(4))); };
struct S4 { long long b64 : 64 __attribute__((aligned(4))); long long b7 : 7 __attribute__((aligned(2))); };
struct __attribute__((packed)) S5 { char c; int b32 : 32 __attribute__((aligned(2))); int x : 16 __attribute__((aligned(1))); };
union U1 { char c; aint16 a; int b : 32 __attribute__((aligned(2))); struct P p; };
struct S6 { char c; aint16b t; along2 l; achar1 ch; enum ae e; PT pt; PT parr[3]; const volatile aint16 cv; };
struct S7 { char c; _Atomic long long al; _Atomic int ai; long long ll; double d; long double ld; };
#pragma pack(4)
struct S8 { char c; struct P p; aint16 a; long l __attribute__((aligned(16))); };
#pragma pack()
struct S9 { char c; struct { char d; aint16 x; } inner; struct { int y; } plain; union { struct P p; int z; }; };
struct __attribute__((packed)) S10 { char c; struct S9 s9; aint16 x __attribute__((aligned(8))); char a[3] __attribute__((aligned(4))); };
struct S11 { char c; char a2 __attribute__((aligned(2))); short s1 __attribute__((aligned(1))); achar1 q __attribute__((aligned(4))); };
struct S12 { char c; int x __attribute__((aligned(4))); int y __attribute__((aligned(8), aligned(2))); };
struct S13 { char c; int flex[] __attribute__((aligned(8))); };
struct S14 { int a; PT flexp[]; };
struct S15 { union { struct { int g __attribute__((aligned(4))); long n; } __attribute__((packed)); int h; }; } __attribute__((packed));
#pragma pack(push, 2)
struct K1 { char c; float f __attribute__((aligned(4))); int i8 __attribute__((aligned(8))); int j4 __attribute__((aligned(4))); short s2 __attribute__((aligned(2))); char c4 __attribute__((aligned(4))); int k2 __attribute__((aligned(2))); long l16 __attribute__((aligned(16))); aint16 t; };
struct K2 { char c; double d __attribute__((aligned(8))); long l __attribute__((aligned(8))); };
struct K3 { int j4 __attribute__((aligned(4))); float f __attribute__((aligned(4))); char c; struct P p; };
#pragma pack(pop)
#pragma pack(push, 4)
struct K4 { char c; int b32 : 32 __attribute__((aligned(2))); char d; short b16 : 16 __attribute__((aligned(1))); };
#pragma pack(pop)
#pragma pack(push, 1)
struct K5 { char c; int b32 : 32 __attribute__((aligned(2))); aint16 t; };
#pragma pack(pop)
struct K6 { char c; struct D d; struct S9 s; };
struct K7 { char c; aint16 bf : 4; };
struct K8 { char c; struct K7 k7; };
typedef int aint8 __attribute__((aligned(8)));
struct K17 { char c; aint8 : 4; char d; };
struct K18 { char c; struct K17 k; };
struct K19 { char c; aint16 : 0; char d; };
struct K20 { char c; struct K19 k; };
struct K21 { aint8 : 32; char c; };
struct K22 { char c; struct K21 k; };
struct K23 { char c; aint8 : 32; char d; };
struct K24 { char c; struct K23 k; };
struct A1 { unsigned int m __attribute__((aligned(4))); };
struct A2 { double z[0]; unsigned int m __attribute__((aligned(4))); signed char c[1][2]; };
struct A3 { double z[0]; unsigned int m __attribute__((aligned(4))); char c; };
struct A4 { unsigned int m __attribute__((aligned(4))); signed char c[2]; };
struct A5 { aint2 a[1]; aint2 b[3][1]; };
union A6 { short s __attribute__((aligned(2))); _Complex double d; };
struct A7 { _Complex double d; } __attribute__((aligned(16)));
struct A8 { char c; struct A1 a1; struct A2 a2; struct A3 a3; struct A4 a4; struct A5 a5; union A6 a6; struct A7 a7; };
`;

/** Every member's forced alignment by path (`A.own`, `S9.inner.x`), and every record's (`struct A`,
 *  `S9.inner{}` for an inline one), 0 when it has none. */
function forcedByPath(records: readonly RecordType[]): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (r: RecordType, path: string, depth: number): void => {
    // (Unnamed bitfields have no DWARF member: they are left out, and out of the count that names an
    // anonymous member by its place.)
    r.members
      .filter((m) => m.name !== null || m.bitSize === undefined)
      .forEach((m, i) => {
        const p = `${path}.${m.name ?? `#${i}`}`;
        out.set(p, m.forcedAlign ?? 0);
        const inner = depth < 8 ? unnamedRecordOf(m.type) : undefined;
        if (inner) {
          out.set(`${p}{}`, inner.forcedAlign ?? 0);
          walk(inner, p, depth + 1);
        }
      });
  };
  for (const r of records)
    if (r.name !== null && !out.has(`${r.kind} ${r.name}`)) {
      out.set(`${r.kind} ${r.name}`, r.forcedAlign ?? 0);
      walk(r, `${r.kind} ${r.name}`, 0);
    }
  return out;
}

/** Source and gcc -g's DWARF of the same text: the members whose forced alignments differ. */
function compareWithDwarf(
  source: string,
  triple: string,
  cc: string,
  variables: readonly string[],
): { members: number; diffs: string[]; forced: number } {
  const target = findTarget(triple)!;
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-forced-'));
  const c = join(dir, 't.c');
  const o = join(dir, 't.o');
  // One variable per record, so that gcc describes every one.
  const text = source + variables.map((v, i) => `${v} v${i};\n`).join('');
  writeFileSync(c, text);
  execFileSync(cc, ['-g', '-c', '-w', c, '-o', o], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ours = forcedByPath(analyzeSourceText(text, { target, path: c }).records);
  const theirs = forcedByPath(analyzeBinary(new Uint8Array(readFileSync(o)), { path: o }).records);
  const diffs: string[] = [];
  let members = 0;
  let forced = 0;
  for (const [p, v] of theirs) {
    if (!ours.has(p)) continue;
    members++;
    if (v) forced++;
    if (ours.get(p) !== v) diffs.push(`${p}: gcc ${v || 'none'}, layoutof ${ours.get(p) || 'none'}`);
  }
  return { members, diffs, forced };
}

const TARGETS: [string, string][] = [
  ['x86_64-linux-gnu', 'gcc'],
  ...[
    'i686-linux-gnu',
    'aarch64-linux-gnu',
    'arm-linux-gnueabihf',
    'riscv64-linux-gnu',
    'powerpc64le-linux-gnu',
    's390x-linux-gnu',
  ].map((t): [string, string] => [t, `${t}-gcc`]),
];
const caseVars = [...CASES.matchAll(/^(struct|union) (\w+) [^;]*\{/gm)].map((m) => `${m[1]} ${m[2]}`);

for (const [triple, cc] of TARGETS) {
  test(
    `forced alignments of hand-written cases match ${cc}'s DWARF`,
    { skip: !haveTool(cc) && `${cc} not installed` },
    () => {
      const r = compareWithDwarf(CASES, triple, cc, caseVars);
      assert.deepEqual(r.diffs, []);
      assert.ok(r.members >= 120 && r.forced >= 50, `${r.members} members, ${r.forced} forced`);
    },
  );
}

for (const [triple, cc] of TARGETS) {
  test(
    `forced alignments of generated records match ${cc}'s DWARF`,
    { skip: !haveTool(cc) && `${cc} not installed` },
    () => {
      let members = 0;
      let forced = 0;
      for (const seed of [11, 12, 13, 14, 15, 16, 17, 18]) {
        const target = findTarget(triple)!;
        const g = generateProgram(seed, 250, { noInt128: target.noInt128, longBits: target.ints.long.size * 8 });
        const r = compareWithDwarf(
          g.source,
          triple,
          cc,
          g.probes.map((p) => p.ctype),
        );
        assert.deepEqual(r.diffs.slice(0, 10), [], `seed ${seed}: ${r.diffs.length} of ${r.members} members differ`);
        members += r.members;
        forced += r.forced;
      }
      assert.ok(members > 5000 && forced > 100, `${members} members, ${forced} forced`);
    },
  );
}

test("the views: pahole's attribute and forced-hole summary, the markdown notes", () => {
  const rec = analyzeSourceText(
    'struct P { char x[0]; } __attribute__((aligned(64)));\nstruct pc { long usage; struct P pad; long min; };',
  ).records.find((r) => r.name === 'pc')!;
  const v = analyzeRecord(rec, 64);
  assert.deepEqual(v.forced, { alignments: 1, holes: 1, sumHoles: 56 });
  assert.equal(rec.members[1]!.forcedAlign, 64);
  assert.equal(rec.members[0]!.forcedAlign, undefined);
  assert.equal(rec.forcedAlign, 64);
  const text = renderText([v]);
  assert.match(text, /^\tstruct P +pad __attribute__\(\(__aligned__\(64\)\)\); \/\* +64 +0 \*\/$/m);
  assert.match(text, /^\t\/\* forced alignments: 1, forced holes: 1, sum forced holes: 56 \*\/$/m);
  assert.match(text, /^\} __attribute__\(\(__aligned__\(64\)\)\);$/m);
  const md = renderMarkdown([v]);
  assert.match(md, /\| 8 \| 56 \| \| \| _56-byte hole, before a member explicitly aligned to 64_ \|/);
  assert.match(md, /\| `pad` \| explicitly aligned to 64 \|/);
  assert.match(md, /, 1 explicitly aligned member, with a 56-byte hole before it\.$/m);
  const json = JSON.stringify(toJson('x86_64-linux-gnu', [v]));
  assert.match(json, /"name":"pad"[^}]*"forcedAlign":64/);
});
