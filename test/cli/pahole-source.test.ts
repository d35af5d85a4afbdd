// End to end against pahole: a header laid out from source by `layoutof --format pahole`
// (preprocessor, parser, layout engine, analyses, text view) and the same header compiled with gcc -g
// and printed by pahole must give the same text, record by record, once DWARF's base type names are
// written as C spells them ("long unsigned int" is "unsigned long") and runs of spaces are one. Skips
// without gcc/pahole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { haveTool } from '../support/gcc-truth.js';

const skip = !haveTool('gcc') || !haveTool('pahole') ? 'needs gcc and pahole' : false;

const SPELLING: [RegExp, string][] = [
  [/\blong long unsigned int\b/g, 'unsigned long long'],
  [/\blong long int\b/g, 'long long'],
  [/\blong unsigned int\b/g, 'unsigned long'],
  [/\bshort unsigned int\b/g, 'unsigned short'],
  [/\blong int\b/g, 'long'],
  [/\bshort int\b/g, 'short'],
];

function blocks(text: string, dwarf: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^((?:struct|union) (\w+) \{\n[\s\S]*?\n\}[^\n]*;)$/gm)) {
    let b = m[1]!;
    if (dwarf) for (const [re, to] of SPELLING) b = b.replace(re, to);
    b = b.replace(/\*(?: \*)+/g, (s) => s.replace(/ /g, '')); // pahole's "* *" is C's "**"
    out.set(m[2]!, b.replace(/ +/g, ' '));
  }
  return out;
}

function compare(header: string, names: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-pahole-src-'));
  const c = join(dir, 'use.c');
  writeFileSync(c, `#include "${resolve(header)}"\n` + names.map((n, i) => `struct ${n} v${i};\n`).join(''));
  execFileSync('gcc', ['-g', '-c', '-w', c, '-o', join(dir, 'use.o')]);
  const theirs = blocks(
    execFileSync('pahole', ['-C', names.join(','), join(dir, 'use.o')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
    true,
  );
  // (--format pahole: the default text says each hole's cause where pahole says "try to pack".)
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', '--format', 'pahole', header, ...names], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const ours = blocks(r.stdout, false);
  const diffs: string[] = [];
  for (const n of names)
    if (theirs.get(n) !== ours.get(n)) diffs.push(`--- pahole\n${theirs.get(n)}\n+++ layoutof\n${ours.get(n)}`);
  return diffs;
}

test('the built-in example: layoutof from source prints what pahole prints from gcc -g', { skip }, () => {
  assert.deepEqual(
    compare('examples/ip_vs_conn.h', ['ip_vs_conn', 'soft_timer', 'seq_adjust', 'list_link', 'deferred_call']),
    [],
  );
});

test(
  'records with bitfields, unions, anonymous members, arrays, straddling members: source view equals pahole',
  { skip },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-pahole-src-'));
    const h = join(dir, 'r.h');
    writeFileSync(
      h,
      `
struct node { struct node *next, **pprev; };
struct padded { long l; char c; };
struct conn { struct node list; short port; union { int v4; char v6[16]; } addr; long bytes;
  unsigned int flags:3; unsigned int state:4; struct padded p; struct { int a; int b; };
  void (*fn)(int); char big[40]; const char *name; char tail[]; };
struct b1 { unsigned a:3; char c; };
struct b4 { long l; unsigned a:4; };
struct arr { struct padded ps[3]; char c[3]; int m[2][3]; };
struct deep { int a; union { struct { char x; long y; } s; int z; } u; char end; };
struct big { char pad[60]; int straddle[4]; char more[100]; long last; };
`,
    );
    assert.deepEqual(compare(h, ['node', 'padded', 'conn', 'b1', 'b4', 'arr', 'deep', 'big']), []);
  },
);
