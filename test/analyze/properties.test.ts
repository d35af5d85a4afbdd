// Properties of the analyses on random records (fast-check): for records laid out by the C rules,
// members + holes + padding account for every byte and bit; for arbitrary, even nonsensical records
// (overlaps, members past the end, zero sizes) nothing throws and every renderer produces output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { renderText } from '../../src/render/text.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderJson } from '../../src/render/json.js';
import type { Member, RecordType } from '../../src/model/model.js';
import { base } from '../render/fixtures.js';

const scalar = fc.constantFrom(1, 2, 4, 8, 16);
const field = fc.record({
  size: scalar,
  count: fc.integer({ min: 1, max: 5 }),
  bits: fc.option(fc.integer({ min: 1, max: 8 }), { freq: 3 }),
});

/** Lays members out as a SysV compiler does (bitfields of char type only, so units never split). */
function layout(fields: { size: number; count: number; bits: number | null }[], cacheAlign: boolean): RecordType {
  const members: Member[] = [];
  let bit = 0;
  let align = 1;
  fields.forEach((f, i) => {
    if (f.bits !== null) {
      const t = base('unsigned char', 1);
      if (Math.floor(bit / 8) !== Math.floor((bit + f.bits - 1) / 8)) bit = Math.ceil(bit / 8) * 8;
      members.push({ name: `b${i}`, type: t, bitOffset: bit, bitSize: f.bits, size: 1, align: 1 });
      bit += f.bits;
      return;
    }
    const t = { kind: 'array' as const, of: base(`t${f.size}`, f.size), length: f.count };
    const off = Math.ceil(bit / (f.size * 8)) * f.size * 8;
    members.push({ name: `m${i}`, type: t, bitOffset: off, size: f.size * f.count, align: f.size });
    align = Math.max(align, f.size);
    bit = off + f.size * f.count * 8;
  });
  if (cacheAlign) align = Math.max(align, 64);
  const size = Math.ceil(Math.ceil(bit / 8) / align) * align;
  return { kind: 'struct', name: 'r', size, align, members };
}

test('every byte is a member, a hole, padding or bitfield storage', () => {
  fc.assert(
    fc.property(
      fc.array(field, { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      fc.constantFrom(0, 16, 64),
      (fields, big, line) => {
        const r = layout(fields, big);
        const v = analyzeRecord(r, line);
        const holes = v.holes.reduce((a, h) => a + h.size, 0);
        const bits = v.sumBitfieldBits + v.bitHoles.reduce((a, h) => a + h.bits, 0) + v.bitPadding;
        assert.equal(bits % 8, 0);
        assert.equal(v.sumMembers + holes + v.tailPadding + bits / 8, r.size);
        if (line) assert.equal(v.rows.filter((x) => x.kind === 'cacheline').length <= Math.ceil(r.size / line), true);
        for (const h of v.holes) assert.ok(h.size > 0 && h.offset >= 0 && h.offset + h.size <= r.size);
      },
    ),
    { numRuns: 500 },
  );
});

const anyMember = fc.record({
  bitOffset: fc.integer({ min: -16, max: 4096 }),
  size: fc.integer({ min: 0, max: 64 }),
  bitSize: fc.option(fc.integer({ min: 0, max: 70 })),
  named: fc.boolean(),
});

test('arbitrary records (overlapping, out of range) never throw and always render', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<'struct' | 'union'>('struct', 'union'),
      fc.integer({ min: 0, max: 512 }),
      fc.array(anyMember, { maxLength: 10 }),
      fc.constantFrom(0, 1, 64),
      (kind, size, ms, line) => {
        const members: Member[] = ms.map((m, i) => ({
          name: m.named ? `f${i}` : null,
          type: base('int', Math.max(1, m.size)),
          bitOffset: m.bitOffset,
          ...(m.bitSize !== null ? { bitSize: m.bitSize } : {}),
          size: m.size,
          align: 1,
        }));
        const v = analyzeRecord({ kind, name: 'x', size, align: 1, members }, line);
        assert.ok(renderText([v]).includes('size:'));
        assert.ok(renderMarkdown([v]).includes('| Offset |'));
        JSON.parse(renderJson('x86_64-linux-gnu', [v]));
      },
    ),
    { numRuns: 500 },
  );
});
