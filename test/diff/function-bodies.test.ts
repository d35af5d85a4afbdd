// Records defined inside function bodies (--function-bodies), against gcc's DWARF: a handwritten unit
// of block scopes, shadowing and statements the parser steps over, and the SQLite amalgamation. Each
// record of ours must be one DWARF has under its name (layoutSignature), as many times as we have it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../../src/api.js';
import { analyzeBinary } from '../../src/binary/index.js';
import { NodeFileSystem } from '../../src/cli/nodefs.js';
import { systemIncludeDirs } from '../../src/cli/sysinc.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import type { RecordType } from '../../src/model/model.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { layoutSignature } from '../support/compare.js';
import { haveTool } from '../support/gcc-truth.js';

/** Two functions and nested blocks each defining `struct s`, `struct inner`; local typedefs and enums
 *  hiding file-scope ones; a parameter hiding a typedef; labels, case ranges, statement expressions,
 *  do/while, for declarations, __label__ and attributes in statement position. */
export const TRICKY = `typedef int T;
struct s { char c; };
enum { N = 3 };
typedef struct { long l; } G;

int f1(int n) {
  struct s { double d; char c[N]; } a;   /* hides the file-scope struct s */
  typedef short T;                         /* local typedef hides the file-scope one */
  struct u1 { T t; char c; } b;            /* T is short here */
  enum { N = 7 };
  struct u2 { char c[N]; } c;              /* N is 7 here */
  a.c[0] = 0; (void)b; (void)c;
  return n + (int)sizeof a;
}

int f2(int T) {                            /* parameter hides typedef T */
  int x = T * 2;
  struct s { int a, b, c; } v = { 1, 2, 3 };
  if (x) {
    struct inner { char c; long long q; } i = { 0, 0 };
    x += (int)i.q;
  } else {
    struct inner { short z; } j = { 0 };   /* same tag, another block */
    x += j.z;
  }
  for (int i = 0; i < 2; i++) { struct fs { char a; int b; } k = { 0, i }; x += k.a; }
  switch (x) {
  case 1 ... 3: { struct sw { char q[5]; int r; } w = { "abc", 0 }; x += w.r; } break;
  default:
    break;
  }
lbl: ;
  x += ({ struct se { char a; short b; } e = { 1, 2 }; e.b; });
  goto lbl2;
lbl2:
  do { struct dw { long a; char b; } d = { 0, 0 }; x += (int)d.a; } while (0);
  {
    typedef struct { char a; double b; } Local;
    Local l = { 0, 0 };
    x += (int)l.b;
    struct s *p = 0;                        /* refers to f2's struct s */
    x += p ? p->c : 0;
  }
  struct bf { unsigned a : 3, : 0, b : 5; } *bp = 0;
  return x + v.c + (bp ? bp->b : 0);
}

void f3(void) {
  struct s;                                  /* a new incomplete struct s */
  struct s { char only; } z = { 0 };
  struct { int anon; } anon_var = { 0 };
  (void)z; (void)anon_var;
  G g = { 0 }; (void)g;
  static const struct tab { const char *name; unsigned char len; } tabs[] = { { "a", 1 } };
  (void)tabs;
  int (*fp)(int) = 0; (void)fp;
  __attribute__((unused)) struct att { char c; int i __attribute__((aligned(16))); } at;
  (void)at;
  { __label__ done; goto done; done:; }
  struct outer2 { struct s s; T t; } o2 = { { 0 }, 0 }; (void)o2;
}
`;

const key = (r: RecordType): string => `${r.kind} ${r.name ?? r.typedef}`;

/** The anonymous structs and unions that are direct children of a function or block in gcc's DWARF
 *  (readelf: our DWARF reader keeps only named records), as `kind size:member@bit,...`. */
function anonymousInBodies(obj: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  let cur: { kind: string; size: number; members: string[]; named: boolean } | undefined;
  let member: { name: string; bit: number } | undefined;
  const text = execFileSync('readelf', ['--debug-dump=info', obj], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const flush = () => {
    if (cur && member) cur.members.push(`${member.name}@${member.bit}`);
    member = undefined;
  };
  const done = () => {
    flush();
    if (cur && !cur.named) out.push(`${cur.kind} ${cur.size}:${cur.members.join(',')}`);
    cur = undefined;
  };
  for (const line of text.split('\n')) {
    const die = /^\s*<(\d+)><[0-9a-f]+>: Abbrev Number: \d+ \((DW_TAG_\w+)\)/.exec(line);
    if (die) {
      const level = Number(die[1]);
      const tag = die[2]!;
      if (cur && tag === 'DW_TAG_member' && level === stack.length) {
        flush();
        member = { name: '', bit: 0 };
        continue;
      }
      if (cur) done();
      stack.length = level;
      const parent = stack[level - 1];
      if (
        (tag === 'DW_TAG_structure_type' || tag === 'DW_TAG_union_type') &&
        /subprogram|lexical_block/.test(parent ?? '')
      )
        cur = { kind: tag === 'DW_TAG_union_type' ? 'union' : 'struct', size: 0, members: [], named: false };
      stack[level] = tag;
      continue;
    }
    const at = /DW_AT_(\w+)\s*:\s*(?:\(indirect string, offset: 0x[0-9a-f]+\): )?(\S+)/.exec(line);
    if (!at || !cur) continue;
    if (member) {
      if (at[1] === 'name') member.name = at[2]!;
      else if (at[1] === 'data_member_location') member.bit = Number(at[2]) * 8;
      else if (at[1] === 'data_bit_offset') member.bit = Number(at[2]);
    } else if (at[1] === 'name') cur.named = true;
    else if (at[1] === 'byte_size') cur.size = Number(at[2]);
  }
  done();
  return out;
}

/** Our records of `file` parsed with function bodies, and the differences from gcc's DWARF (-g -O0). */
function compareWithDwarf(
  file: string,
  flags: readonly string[],
  macros: ['D', string][],
): { scoped: RecordType[]; diffs: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-bodies-'));
  try {
    const obj = join(dir, 'u.o');
    execFileSync('gcc', ['-g', '-O0', '-c', ...flags, file, '-o', obj], { stdio: ['ignore', 'ignore', 'pipe'] });
    const dwarf = analyzeBinary(new Uint8Array(readFileSync(obj)), { path: obj }).records;
    const anonymous = anonymousInBodies(obj);
    const res = analyzeSource(file, {
      fs: new NodeFileSystem(),
      target: DEFAULT_TARGET,
      include: { quote: [], angled: [], system: [], builtin: systemIncludeDirs() ?? [], after: [] },
      macros,
      forcedIncludes: [],
      functionBodies: true,
    });
    const errors = res.diagnostics.list
      .filter((d) => d.severity === 'error')
      .map((d) => formatDiagnostic(d, res.sources));
    assert.deepEqual(errors.slice(0, 10), [], 'our front end reported errors');
    const named = res.records.filter((r) => r.name !== null || r.typedef !== undefined);
    const scoped = named.filter((r) => r.scope !== undefined);
    const diffs: string[] = [];
    for (const k of new Set(scoped.map(key))) {
      // DWARF's records of that name: ours in bodies each take one; what is left must be file-scope ones.
      const left = dwarf.filter((r) => key(r) === k).map(layoutSignature);
      for (const r of scoped.filter((x) => key(x) === k)) {
        const i = left.indexOf(layoutSignature(r));
        if (i < 0) diffs.push(`${r.scope}::${k}: ${layoutSignature(r)} not in gcc's [${left.join(' | ')}]`);
        else left.splice(i, 1);
      }
      const files = new Set(named.filter((r) => r.scope === undefined && key(r) === k).map(layoutSignature));
      for (const s of left) if (!files.has(s)) diffs.push(`${k}: gcc has ${s}, which we do not`);
    }
    // An anonymous record known by its variable: one of gcc's anonymous ones in a body, member by member.
    for (const r of res.records.filter((x) => x.variable !== undefined)) {
      const sig = `${r.kind} ${r.size}:${r.members.map((m) => `${m.name}@${m.bitOffset}`).join(',')}`;
      const i = anonymous.indexOf(sig);
      if (i < 0) diffs.push(`${r.scope}::${r.variable}: ${sig} not among gcc's anonymous records in bodies`);
      else anonymous.splice(i, 1);
      scoped.push(r);
    }
    return { scoped, diffs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  'records in function bodies: block scopes and shadowing as gcc has them',
  { skip: !haveTool('gcc') && 'no gcc' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-bodies-'));
    try {
      const file = join(dir, 'tricky.c');
      writeFileSync(file, TRICKY);
      const { scoped, diffs } = compareWithDwarf(file, [], []);
      assert.deepEqual(diffs, []);
      // Every record of the bodies, each once, with its function (DWARF leaves out what no code uses).
      assert.deepEqual(
        scoped.map((r) => `${r.scope}::${r.name ?? r.typedef ?? r.variable}`),
        [
          'f1::s',
          'f1::u1',
          'f1::u2',
          'f2::s',
          'f2::inner',
          'f2::inner',
          'f2::fs',
          'f2::sw',
          'f2::se',
          'f2::dw',
          'f2::Local',
          'f2::bf',
          'f3::s',
          'f3::tab',
          'f3::att',
          'f3::outer2',
          'f3::anon_var',
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

const SQLITE = resolve('.cache/sqlite-amalgamation/sqlite3.c');
test(
  'records in function bodies: sqlite3.c as gcc has them',
  {
    skip:
      (!haveTool('gcc') && 'no gcc') ||
      (!existsSync(SQLITE) && 'no .cache/sqlite-amalgamation (scripts/install-test-deps.sh)'),
    timeout: 300_000,
  },
  () => {
    const defs = ['SQLITE_ENABLE_FTS5', 'SQLITE_ENABLE_RTREE'];
    const { scoped, diffs } = compareWithDwarf(
      SQLITE,
      defs.map((d) => `-D${d}`),
      defs.map((d) => ['D', d]),
    );
    assert.deepEqual(diffs, []);
    // 8 by their tag, 4 by the variable they declare (the issue counted 10 at the time).
    assert.ok(scoped.length >= 12, `only ${scoped.length} records in bodies`);
    console.log(`# sqlite3.c: ${scoped.length} records in function bodies match gcc's DWARF`);
  },
);
