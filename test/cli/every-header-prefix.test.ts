// --every-header's reuse of <linux/module.h> (src/cli/every-header-prefix.ts): each unit compiled
// after the saved prefix answers exactly as the unit compiled whole, and nothing one unit does after
// the prefix reaches the next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource, type SourceOptions, type SourceResult } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';
import { MemoryFileSystem } from '../../src/core/fs.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { toJson } from '../../src/render/json.js';
import { DEFAULT_TARGET } from '../../src/target/target.js';
import { analyzeAfterPrefix, compilePrefix } from '../../src/cli/every-header-prefix.js';
import { findKernelHeaders } from '../support/kernel.js';
import { sourceCli } from '../support/source-cli.js';

// The prefix leaves a forward declaration, macros, an anonymous record, a pack stack and an enum;
// the units complete, redefine and name them.
const PREFIX_H = `#ifndef P_H
#define P_H
struct fwd;
struct user { struct fwd *f; int n; };
#define WIDTH 4
#define ARR(n) char a##n[WIDTH]
typedef struct { int x; } anon_t;
enum e { E1 = 1 };
#pragma pack(push, 2)
struct packed_in_prefix { char c; int i; };
struct counted { char a[__COUNTER__ + 1]; };
#endif
`;
const UNITS = [
  '#include <p.h>\nstruct fwd { long a; char b; };\n#undef WIDTH\n#define WIDTH 9\nstruct w { ARR(1); };\n',
  '#include <p.h>\nstruct w { ARR(1); struct fwd *p; };\nstruct still { int i; char c; };\n',
  '#include <p.h>\ntypedef anon_t renamed;\n#pragma pack(pop)\nstruct after_pop { char c; int i; };\n',
  '#include <p.h>\nstruct fwd { char only; };\nstruct has_fwd { struct fwd f; enum e k; };\n#include <q.h>\n',
  '#include <p.h>\nstruct broken { int x };\n#include <missing.h>\n',
  '#include <p.h>\nstruct pack_kept { char c; int i; };\n',
  // The builtin macros read the unit's state: its files, lines, counter and path.
  '#include <p.h>\nstruct builtins { char l[__LINE__]; char f[sizeof(__FILE__)]; char c[__COUNTER__ + 1];\n' +
    'char b[sizeof(__BASE_FILE__)]; char i[__INCLUDE_LEVEL__ + 1]; };\n#include <q.h>\n',
];

function options(fs: MemoryFileSystem): SourceOptions {
  return {
    fs,
    target: DEFAULT_TARGET,
    include: { quote: [], angled: ['/inc'], system: [], builtin: [], after: [] },
    macros: [],
    forcedIncludes: [],
  };
}

/** Everything the CLI reads of a result: the records as JSON, and the diagnostics as gcc prints them. */
function answer(res: SourceResult): string {
  const views = res.records.map((r) => analyzeRecord(r, 64));
  const diags = res.diagnostics.list.map((d) => formatDiagnostic(d, res.sources));
  return JSON.stringify({ json: toJson(DEFAULT_TARGET.triple, views), diags, errors: res.diagnostics.errors });
}

test('a unit compiled after the saved prefix answers as the unit compiled whole, in any order', () => {
  const reads = new Map<string, number>();
  const mem = new MemoryFileSystem({
    '/inc/p.h': PREFIX_H,
    '/inc/q.h': 'struct q { short s; char f[sizeof(__FILE__)]; char l[__LINE__]; };\n',
  });
  const fs = {
    readFile: (p: string) => (reads.set(p, (reads.get(p) ?? 0) + 1), mem.readFile(p)),
    isFile: (p: string) => mem.isFile(p),
    isDirectory: (p: string) => mem.isDirectory(p),
  } as MemoryFileSystem;
  const prefix = compilePrefix(
    '/u/prefix.c',
    '#include <p.h>\n',
    options(new MemoryFileSystem({ ...files(mem), '/u/prefix.c': '#include <p.h>\n' })),
  );
  assert.ok(prefix, 'the prefix is reusable');
  for (const order of [UNITS.keys(), [...UNITS.keys()].reverse()]) {
    for (const k of order) {
      const path = `/u/unit-${k}.c`;
      mem.set(path, UNITS[k]!);
      const whole = answer(analyzeSource(path, options(mem)));
      reads.clear();
      const after = answer(analyzeAfterPrefix(prefix, path, UNITS[k]!, options(fs)));
      assert.equal(after, whole, `unit ${k}`);
      assert.equal(reads.get('/inc/p.h'), undefined, 'the prefix header is not read again');
    }
  }
});

test('a prefix that expands __BASE_FILE__ (each unit its own) is not reused', () => {
  const fs = new MemoryFileSystem({
    '/inc/p.h': 'struct b { char p[sizeof(__BASE_FILE__)]; };\n',
    '/u/prefix.c': '#include <p.h>\n',
  });
  assert.equal(compilePrefix('/u/prefix.c', '#include <p.h>\n', options(fs)), undefined);
});

function files(mem: MemoryFileSystem): Record<string, string> {
  return { '/inc/p.h': mem.readFile('/inc/p.h')!, '/inc/q.h': mem.readFile('/inc/q.h')! };
}

const headers = findKernelHeaders();

test(
  '--every-header --kernel: byte-identical with and without reusing <linux/module.h>',
  { skip: !headers && 'no kernel headers', timeout: 600_000 },
  () => {
    const args = ['--no-cache', '--kernel', headers!, '--every-header', '--shard', '3/40', '--format', 'json'];
    const reused = sourceCli([...args, '--jobs', '1']);
    const plain = sourceCli([...args, '--jobs', '1'], { env: { ...process.env, LAYOUTOF_PREFIX: '0' } });
    assert.ok(reused.out.length > 100_000, reused.err);
    assert.equal(reused.out, plain.out);
    assert.equal(reused.err, plain.err);
  },
);
