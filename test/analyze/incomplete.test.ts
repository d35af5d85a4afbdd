// A record that an error touched is marked incomplete, never passed off as right: errors located
// inside its definition, members layout cannot place, members whose record is incomplete. The members
// before the failure keep their (gcc-checked) offsets; the rest are listed without any.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import type { RecordType } from '../../src/model/model.js';
import { gccTruth, haveTool } from '../support/gcc-truth.js';

const find = (src: string, name: string): RecordType => {
  const r = analyzeSourceText(src).find(name);
  assert.ok(r, `${name} is found`);
  return r;
};
const names = (r: RecordType) => ({
  placed: r.members.map((m) => m.name),
  unplaced: r.incomplete?.unplaced.map((m) => m.name),
});

test('an unknown type name: the members before it placed, the failing one dropped, the rest unplaced', () => {
  const r = find('struct s { int a; my_t x; long b; };', 's');
  assert.deepEqual(r.incomplete?.errors, ["/input.c:1:19: unknown type name 'my_t'"]);
  assert.deepEqual(names(r), { placed: ['a'], unplaced: ['b'] });
  assert.equal(r.members[0]!.bitOffset, 0);
});

test('a syntax error inside a record makes it incomplete, not "size: 0, members: 0"', () => {
  const r = find('struct s { int a:; long b; };', 's');
  assert.ok(r.incomplete);
  assert.ok(r.incomplete.errors.some((e) => e.startsWith('/input.c:1:18: ')));
  assert.deepEqual(r.members, []);
});

test('an array of an undefined struct, or an undefined enum, no longer makes the record vanish', () => {
  const s = find('struct s { char c; struct nope a[3]; int z; };', 's');
  assert.deepEqual(s.incomplete?.errors, ["/input.c:1:32: array type has incomplete element type 'struct nope'"]);
  // (The parser refuses the member itself, with gcc's error: the members after it are not placed.)
  assert.deepEqual(names(s), { placed: ['c'], unplaced: ['z'] });
  const u = find('struct u { enum nope e; int z; };', 'u');
  assert.deepEqual(u.incomplete?.errors, ["/input.c:1:22: field 'e' has incomplete type"]);
  assert.deepEqual(names(u), { placed: [], unplaced: ['z'] });
  const res = analyzeSourceText('struct s { struct nope a[3]; };');
  assert.equal(res.records.length, 1, 'listed too');
  assert.ok(res.diagnostics.errors > 0, 'and reported');
});

test('a record holding an incomplete one is incomplete from that member on; others are untouched', () => {
  const src =
    'my_t g;\nstruct ok { int a; };\nstruct o { int x; struct in { my_t y; int z; } m; char q; };\nstruct p { long l; struct o w; };\n';
  const res = analyzeSourceText(src);
  assert.equal(res.find('ok')!.incomplete, undefined, 'an error outside a record does not touch it');
  assert.equal(res.find('ok')!.size, 4);
  const o = res.find('o')!;
  assert.deepEqual(names(o), { placed: ['x'], unplaced: ['m', 'q'] });
  assert.deepEqual(o.incomplete!.errors, ["/input.c:3:31: unknown type name 'my_t'"]);
  const p = res.find('p')!;
  assert.deepEqual(names(p), { placed: ['l'], unplaced: ['w'] });
  assert.deepEqual(p.incomplete!.errors, ["/input.c:4:29: member 'w' has type 'struct o', which is incomplete"]);
});

test('an error in the attributes after the closing brace marks the record', () => {
  const r = find('struct s { int a; } __attribute__((aligned(nope)));', 's');
  assert.ok(r.incomplete, 'incomplete');
});

test("the placed members' offsets are gcc's", { skip: !haveTool('gcc') }, () => {
  const r = find('struct s { char c; short h; int i:3; long l; struct nope n[2]; int z; };', 's');
  assert.deepEqual(names(r), { placed: ['c', 'h', 'i', 'l'], unplaced: ['z'] });
  const [t] = gccTruth('struct s { char c; short h; int i:3; long l; };', [
    { ctype: 'struct s', fields: ['c', 'h', 'l'], bitfields: [{ name: 'i' }] },
  ]);
  for (const m of r.members) {
    if (m.bitSize !== undefined) assert.deepEqual({ bitOffset: m.bitOffset, bitSize: m.bitSize }, t!.bits.get(m.name!));
    else assert.equal(m.bitOffset / 8, t!.offsets.get(m.name!), m.name!);
  }
});

test('a kernel-free clean unit has no incomplete record', () => {
  const res = analyzeSourceText('struct a { int x; struct b { char c; } y; }; union u { int i; float f; };');
  assert.equal(res.diagnostics.errors, 0);
  assert.ok(res.records.every((r) => r.incomplete === undefined));
});

test('diff and cross-target comparison do not compare an incomplete layout', async () => {
  const { diffLayouts } = await import('../../src/analyze/diff.js');
  const { renderDiff } = await import('../../src/render/diff.js');
  const { compareAcrossTargets } = await import('../../src/analyze/compare.js');
  const { renderComparison } = await import('../../src/render/compare.js');
  const bad = analyzeSourceText('struct s { int a; my_t x; long b; };').records;
  const good = analyzeSourceText('typedef int my_t; struct s { int a; my_t x; long b; };').records;
  const d = diffLayouts(bad, good);
  assert.deepEqual(
    d.changed.map((c) => [c.name, c.incomplete, c.changes.length]),
    [['struct s', ['before'], 0]],
  );
  assert.match(renderDiff(d, 'bad.h', 'good.h', 'text'), /^struct s: not compared: incomplete in bad\.h$/m);
  const cmp = compareAcrossTargets(['x86_64', 'i686'], [bad[0], good[0]]);
  assert.deepEqual(
    [cmp.incomplete, cmp.sizes],
    [
      [true, false],
      [undefined, 16],
    ],
  );
  assert.match(renderComparison('s', cmp, 'text'), /\(size\) +\? \(incomplete\) +16/);
});

test('an error in a file #included inside the record marks it, from the #include on', async () => {
  const { MemoryFileSystem } = await import('../../src/core/fs.js');
  const fs = new MemoryFileSystem({ '/body.h': 'long b;\nmy_t c;\n' });
  const res = analyzeSourceText('struct s {\n  int a;\n#include "body.h"\n  int z;\n};\nstruct t { int q; };\n', {
    fs,
  });
  const s = res.find('s')!;
  assert.deepEqual(s.incomplete?.errors, ["/body.h:2:1: unknown type name 'my_t'"]);
  assert.deepEqual(names(s).placed, ['a']);
  assert.equal(res.find('t')!.incomplete, undefined);
});

test('past the diagnostics limit, a record no kept error touches is still not vouched for', () => {
  const src = 'x y;\n'.repeat(1100) + 'struct late { int a; };\n';
  const r = analyzeSourceText(src).find('late')!;
  assert.match(r.incomplete!.errors[0]!, /^\/input\.c:1101:1: not checked: more than 1000 diagnostics/);
  assert.deepEqual(names(r), { placed: ['a'], unplaced: [] });
});
