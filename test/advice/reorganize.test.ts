// The reorganizer's constraints, one test each: what must move whole, what must stay, what is left
// alone and said so; each new order is laid out again by layoutof from rewritten C to match the claim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { reorganize, type ReorganizeOptions, type Reorganized } from '../../src/analyze/reorganize.js';
import { findTarget } from '../../src/target/target.js';
import { constraintProblems, rewrite, writtenRecord } from '../support/reorg.js';

const names = (r: Reorganized): string[] => r.record.members.map((m) => m.name ?? '?');

function reorg(src: string, tag: string, opts: ReorganizeOptions = {}, triple = 'x86_64-linux-gnu'): Reorganized {
  const target = findTarget(triple)!;
  const rec = analyzeSourceText(src, { target }).find(tag)!;
  const res = reorganize(rec, { bitfields: target.bitfields, biggestAlign: target.biggestAlign, ...opts });
  assert.equal(res.kind, 'reorganized', res.kind === 'unchanged' ? res.reason : '');
  const r = res as Reorganized;
  assert.deepEqual(constraintProblems(rec, r.order, opts), []);
  // The claim is what the rewritten definition lays out to.
  const w = writtenRecord(src, tag);
  if (w) {
    const again = analyzeSourceText(src + rewrite(w, `${tag}_x`, r.order), { target }).find(`${tag}_x`)!;
    assert.equal(again.size, r.record.size);
    assert.deepEqual(
      again.members.map((m) => m.bitOffset),
      r.record.members.map((m) => m.bitOffset),
    );
  }
  return r;
}

test('a member aligned to the cacheline starts a group that no member leaves', () => {
  // pahole packs `b` and `tail` into the first line; the aligned member must stay where it splits.
  // Packed across the split, these would fit one line (56 bytes); kept apart they need two.
  const src = `struct s {\n  char a;\n  long x;\n  char b;\n  long y __attribute__((aligned(64)));\n  char c;\n  long z;\n  char tail;\n};\n`;
  const res = reorganize(analyzeSourceText(src, {}).find('s')!);
  assert.equal(res.kind, 'unchanged');
  assert.equal(res.original.size, 128);
  // Within a group the order is free: the first line's members are reordered when that pays.
  const r = reorg(
    `struct t {\n  char a;\n  long x;\n  char b;\n  long y __attribute__((aligned(64)));\n  char c;\n  long z;\n  char d;\n  long w;\n  char e;\n  long v;\n  char f;\n  long u;\n  char g;\n  long q;\n};\n`,
    't',
  );
  assert.equal(r.original.size, 192);
  assert.equal(r.record.size, 128);
  assert.deepEqual(names(r).slice(0, 3).sort(), ['a', 'b', 'x']);
  assert.equal(r.groups, 2);
});

test("the kernel's __cacheline_group_begin/end markers bound groups", () => {
  const src = `struct s {\n  char a;\n  unsigned char __cacheline_group_begin__hot[0];\n  char b;\n  long x;\n  char c;\n  unsigned char __cacheline_group_end__hot[0];\n  long y;\n};\n`;
  const r = reorg(src, 's');
  const n = names(r);
  assert.ok(
    n.indexOf('__cacheline_group_begin__hot') < n.indexOf('x') &&
      n.indexOf('x') < n.indexOf('__cacheline_group_end__hot'),
  );
  assert.ok(n.indexOf('y') > n.indexOf('__cacheline_group_end__hot'));
  assert.ok(n.indexOf('a') < n.indexOf('__cacheline_group_begin__hot'));
});

test('a flexible array member stays last', () => {
  const r = reorg(`struct s {\n  char a;\n  long x;\n  char b;\n  int tail[];\n};\n`, 's');
  assert.equal(names(r).at(-1), 'tail');
  assert.equal(r.record.size, 16);
});

test('anonymous records and named nested records move whole', () => {
  const src = `struct in { char p; long q; };\nstruct s {\n  char a;\n  struct { long u; char v; };\n  char b;\n  struct in n;\n  char c;\n};\n`;
  const r = reorg(src, 's');
  assert.equal(r.record.members.length, 5);
  assert.ok(r.record.size < 56);
});

test('members of one #if block move together', () => {
  const src = `struct s {\n  char a;\n#ifdef X\n  char b;\n  long c;\n#endif\n  char d;\n  long e;\n};\n`;
  const r = reorg('#define X 1\n' + src, 's');
  const n = names(r);
  assert.equal(n.indexOf('c'), n.indexOf('b') + 1);
});

test('--keep pins members, --keep-first the first', () => {
  const src = `struct s {\n  char a;\n  long x;\n  char b;\n  long y;\n  char c;\n};\n`;
  const kept = reorg(src, 's', { keep: ['b'] });
  assert.deepEqual(names(kept).slice(0, 2).sort(), ['a', 'x']);
  assert.equal(names(kept)[2], 'b');
  const first = reorg(src, 's', { keepFirst: true });
  assert.equal(names(first)[0], 'a');
});

test('bitfields are regrouped into storage units by the SysV rules', () => {
  // a and c fill one int unit, b and d another: the record shrinks from 16 to 12.
  const src = `struct s {\n  unsigned a : 20;\n  unsigned b : 20;\n  unsigned c : 12;\n  unsigned d : 12;\n  int x;\n};\n`;
  for (const triple of ['x86_64-linux-gnu', 'i686-linux-gnu', 'aarch64-linux-gnu', 's390x-linux-gnu']) {
    const r = reorg(src, 's', {}, triple);
    assert.equal(r.original.size, 16, triple);
    assert.equal(r.record.size, 12, triple);
  }
  // A zero-width bitfield stays with the member after it, an unnamed one with the one before.
  const z = reorg(
    `struct z {\n  char a;\n  int : 0;\n  char b;\n  long l;\n  int c : 3;\n  int : 5;\n  char d;\n};\n`,
    'z',
  );
  const n = z.order;
  assert.equal(n[n.indexOf(1) + 1], 2);
  assert.equal(n[n.indexOf(4) + 1], 5);
});

test('MSVC: bitfields of one declared type are regrouped into one unit', () => {
  const src = `struct s {\n  char a : 3;\n  short b : 3;\n  char c : 3;\n  short d : 3;\n};\n`;
  const r = reorg(src, 's', {}, 'x86_64-windows-msvc');
  assert.equal(r.original.size, 8);
  assert.equal(r.record.size, 4);
});

test('packed, __randomize_layout and unions are reported, not reordered', () => {
  const cases = [
    ['struct __attribute__((packed)) s { char a; long b; };', /packed/],
    ['struct s { char a; long b; char c; } __attribute__((randomize_layout));', /randomize/],
    ['union s { char a; long b; };', /union/],
    ['#pragma pack(2)\nstruct s { char a; int f : 3; long b; char c; };', /pragma pack/],
  ] as const;
  for (const [src, why] of cases) {
    const rec = analyzeSourceText(src, {}).find('s')!;
    const res = reorganize(rec);
    assert.equal(res.kind, 'unchanged', src);
    assert.match((res as { reason: string }).reason, why);
  }
});

test('--hot puts the named members first, in the fewest cachelines', () => {
  const src = `struct s {\n  char pad[60];\n  long h1;\n  char more[100];\n  int h2;\n};\n`;
  const r = reorg(src, 's', { hot: ['h1', 'h2'] });
  assert.deepEqual(names(r).slice(0, 2), ['h1', 'h2']);
  assert.deepEqual(r.hot, { before: 2, after: 1 });
});

test('the author\u2019s order is kept where it costs nothing', () => {
  const src = `struct s {\n  long a;\n  int b;\n  char c;\n  long d;\n  char e;\n};\n`;
  const r = reorg(src, 's');
  assert.equal(r.record.size, 24);
  assert.equal(r.moved, 1);
  assert.deepEqual(names(r), ['a', 'b', 'c', 'e', 'd']);
});
