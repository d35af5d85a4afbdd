// Analyses on hand-built records: holes, bit holes and bit padding, tail padding, cachelines and
// straddling members, paddings inside nested records, totals, memory estimates, and layout diffs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRecord, estimateMemory, tailPaddingOf } from '../../src/analyze/layout-view.js';
import { diffLayouts } from '../../src/analyze/diff.js';
import { CHAR, INT, LONG, SHORT, UINT, conn, m, padded, rec, record } from '../render/fixtures.js';

test('holes, bit holes and totals of a mixed record (pahole accounting: sum members + holes = size)', () => {
  const v = analyzeRecord(conn, 64);
  assert.deepEqual(v.holes, [
    { offset: 18, size: 2 },
    { offset: 36, size: 4 },
    { offset: 52, size: 4 },
  ]);
  assert.deepEqual(v.bitHoles, [{ bitOffset: 391, bits: 25 }]);
  assert.equal(v.tailPadding, 0);
  assert.equal(v.bitPadding, 0);
  assert.equal(v.cachelines, 2);
  assert.equal(v.lastCacheline, 24);
  assert.equal(v.memberCount, 10);
  assert.equal(v.sumMembers, 74);
  assert.equal(v.sumBitfieldBits, 7);
  const bitBytes = (v.sumBitfieldBits + v.bitHoles.reduce((a, h) => a + h.bits, 0) + v.bitPadding) / 8;
  assert.equal(v.sumMembers + v.holes.reduce((a, h) => a + h.size, 0) + v.tailPadding + bitBytes, conn.size);
  assert.deepEqual(v.paddings, { count: 1, sum: 7, members: [{ name: 'p', padding: 7 }] });
});

test('rows: anonymous members inline with absolute offsets, one cacheline row, straddling member', () => {
  const v = analyzeRecord(conn, 64);
  const kinds = v.rows.map((r) =>
    r.kind === 'member'
      ? `${r.member.name}@${r.offset}${r.straddles ? '!' : ''}`
      : r.kind === 'hole'
        ? `hole${r.size}`
        : r.kind === 'bithole'
          ? `bits${r.bits}`
          : r.kind === 'cacheline'
            ? `line${r.index}@${r.offset}-${r.ago}`
            : r.kind === 'padding'
              ? `pad${r.size}`
              : r.kind,
  );
  assert.deepEqual(kinds, [
    'list@0',
    'port@16',
    'hole2',
    'open',
    'v4@20',
    'v6@20',
    'close',
    'hole4',
    'bytes@40',
    'flags@48',
    'state@48',
    'bits25',
    'hole4',
    'p@56!',
    'pad7',
    'line1@64-8',
    'open',
    'a@72',
    'b@76',
    'close',
    'fn@80',
    'tail@88',
  ]);
  // one boundary row per member that starts in a later line (pahole): 32 (port), 64 (anonymous struct)
  assert.deepEqual(
    analyzeRecord(conn, 32)
      .rows.filter((r) => r.kind === 'cacheline')
      .map((r) => r.offset),
    [32, 64],
  );
  assert.equal(analyzeRecord(conn, 32).cachelines, 3);
});

test('bitfields: bit hole up to the next member inside the unit, bit padding at the end', () => {
  // struct { unsigned a:3; char c; }  c at byte 1, size 4
  const r1 = record('struct', 'b1', 4, 4, [m('a', UINT, 0, 4, { bits: 3 }), m('c', CHAR, 1, 1)]);
  const v1 = analyzeRecord(r1);
  assert.deepEqual(v1.bitHoles, [{ bitOffset: 3, bits: 5 }]);
  assert.deepEqual(v1.holes, []);
  assert.deepEqual(
    v1.rows.map((r) => r.kind),
    ['member', 'bithole', 'combined', 'member'],
  );
  assert.equal(v1.bitPadding, 0);
  // struct { unsigned a:3; }  size 4: 29 bits of bit padding, no byte padding
  const v2 = analyzeRecord(record('struct', 'b2', 4, 4, [m('a', UINT, 0, 4, { bits: 3 })]));
  assert.deepEqual([v2.bitHoles.length, v2.bitPadding, v2.tailPadding], [0, 29, 0]);
  // struct { char c; unsigned a:3; int :0; int b; }  zero-width bitfield is not a member row
  const r3 = record('struct', 'b3', 8, 4, [
    m('c', CHAR, 0, 1),
    m('a', UINT, 8, 4, { bits: 3 }),
    m(null, INT, 32, 4, { bits: 0 }),
    m('b', INT, 4, 4),
  ]);
  const v3 = analyzeRecord(r3);
  assert.deepEqual(v3.bitHoles, [{ bitOffset: 11, bits: 21 }]);
  assert.equal(v3.rows.filter((r) => r.kind === 'member').length, 3);
  assert.equal(v3.rows.filter((r) => r.kind === 'zerowidth').length, 1);
  assert.equal(v3.rows.filter((r) => r.kind === 'combined' && r.previous).length, 1); // a's unit starts at c
  // struct { long l; unsigned a:4; } size 16: bit padding 28, tail padding 4
  const v4 = analyzeRecord(record('struct', 'b4', 16, 8, [m('l', LONG, 0, 8), m('a', UINT, 64, 4, { bits: 4 })]));
  assert.deepEqual([v4.bitPadding, v4.tailPadding, v4.sumMembers, v4.sumBitfieldBits], [28, 4, 8, 4]);
});

test('unions: no holes between members, tail padding after the largest', () => {
  const u = record('union', 'u', 8, 8, [m('c', CHAR, 0, 1), m('i', INT, 0, 4), m('s', SHORT, 0, 2)]);
  const v = analyzeRecord(u);
  assert.deepEqual([v.holes.length, v.tailPadding], [0, 4]);
});

test('tail padding of nested records; paddings counts only top-level record-typed members', () => {
  assert.equal(tailPaddingOf(padded), 7);
  const outer = record('struct', 'outer', 40, 8, [
    m('a', rec(padded), 0, 16),
    m('b', rec(padded), 16, 16),
    m('n', INT, 32, 4),
  ]);
  const v = analyzeRecord(outer);
  assert.deepEqual([v.paddings.count, v.paddings.sum, v.tailPadding], [2, 14, 4]);
});

test('an empty record and cacheline 0 (no boundaries)', () => {
  const v = analyzeRecord(record('struct', 'empty', 0, 1, []));
  assert.deepEqual([v.cachelines, v.lastCacheline, v.holes.length, v.tailPadding], [0, 0, 0, 0]);
  const w = analyzeRecord(conn, 0);
  assert.equal(
    w.rows.some((r) => r.kind === 'cacheline'),
    false,
  );
});

test('memory for N objects: allocator rounding and a hash table', () => {
  const e = estimateMemory(conn, 1000, 64, 4096, 8);
  assert.deepEqual(e, {
    count: 1000n,
    objectSize: 88n,
    perObject: 128n,
    objects: 128000n,
    table: 32768n,
    total: 160768n,
  });
  assert.equal(estimateMemory(conn, 3).total, 264n);
  // Exact past 2^53, and with an alignment of any size.
  assert.equal(estimateMemory(conn, 9007199254740993n).total, 9007199254740993n * 88n);
  const huge = 10n ** 400n;
  assert.equal(estimateMemory(conn, 1, huge).perObject, huge);
});

test('diff: moved, resized, added, removed members; holes opened and closed; unchanged and one-sided', () => {
  const a = record('struct', 's', 24, 8, [
    m('a', CHAR, 0, 1),
    m('b', INT, 4, 4),
    m('c', CHAR, 8, 1),
    m('d', LONG, 16, 8),
  ]);
  const b = record('struct', 's', 16, 8, [
    m('a', CHAR, 0, 1),
    m('c', CHAR, 1, 1),
    m('b', SHORT, 4, 2),
    m('d', LONG, 8, 8),
  ]);
  const same = record('struct', 't', 4, 4, [m('x', INT, 0, 4)]);
  const d = diffLayouts([a, same, record('struct', 'gone', 4, 4, [])], [b, same, record('struct', 'new', 4, 4, [])]);
  assert.equal(d.unchanged, 1);
  assert.deepEqual([d.onlyBefore, d.onlyAfter], [['struct gone'], ['struct new']]);
  const r = d.changed[0];
  assert.deepEqual([r.name, r.sizeBefore, r.sizeAfter], ['struct s', 24, 16]);
  assert.deepEqual(
    r.changes.map((c) => `${c.kind} ${c.path}`),
    ['resized b', 'moved c', 'moved d'],
  );
  assert.deepEqual(r.holesClosed, [
    { offset: 1, size: 3 },
    { offset: 9, size: 7 },
  ]);
  assert.deepEqual(r.holesOpened, [
    { offset: 2, size: 2 },
    { offset: 6, size: 2 },
  ]);
  // members of anonymous members are compared by their own names
  const d2 = diffLayouts([conn], [conn]);
  assert.deepEqual([d2.changed.length, d2.unchanged], [0, 1]);
});
