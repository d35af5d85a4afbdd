// The CLI and --every-header print a JSON document a record at a time (recordJsonText, joined by
// jsonDocument): it must be renderJson's text byte for byte, whatever the records, their comments
// and the document's extras.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { explainHoles } from '../../src/analyze/hole-cause.js';
import { jsonDocument, recordJsonText, renderJson } from '../../src/render/json.js';
import type { Member, RecordType } from '../../src/model/model.js';
import { base } from './fixtures.js';

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const member = fc.record({
  size: fc.constantFrom(1, 2, 4, 8),
  gap: fc.integer({ min: 0, max: 9 }),
  bits: fc.option(fc.integer({ min: 1, max: 7 }), { freq: 4 }),
  comment: fc.option(text, { freq: 2 }),
});
const recordArb = fc.record({
  kind: fc.constantFrom<'struct' | 'union'>('struct', 'union'),
  name: fc.option(fc.stringMatching(/^[a-z_]\w{0,8}$/), { freq: 5 }),
  comment: fc.option(text, { freq: 2 }),
  members: fc.array(member, { maxLength: 6 }),
  tail: fc.integer({ min: 0, max: 16 }),
  incomplete: fc.option(fc.array(text, { minLength: 1, maxLength: 2 }), { freq: 5 }),
});

function build(r: fc.RecordValue<typeof recordArb>): RecordType {
  let bit = 0;
  const members: Member[] = r.members.map((m, i) => {
    bit += m.gap * 8;
    const at = bit;
    bit += m.bits ?? m.size * 8;
    return {
      name: `m${i}`,
      type: base(`t${m.size}`, m.size),
      bitOffset: at,
      ...(m.bits !== null ? { bitSize: m.bits } : {}),
      size: m.size,
      align: 1,
      ...(m.comment !== null ? { comment: m.comment } : {}),
    };
  });
  return {
    kind: r.kind,
    name: r.name,
    size: Math.ceil(bit / 8) + r.tail,
    align: 1,
    members,
    ...(r.comment !== null ? { comment: r.comment } : {}),
    ...(r.incomplete !== null ? { incomplete: { errors: r.incomplete, unplaced: [] } } : {}),
  };
}

test('records printed one at a time and joined are renderJson, for any records and extras', () => {
  fc.assert(
    fc.property(
      fc.array(recordArb, { maxLength: 5 }),
      fc.option(fc.dictionary(fc.constantFrom('memory', 'diagnostics', 'x'), fc.jsonValue()), { freq: 2 }),
      fc.boolean(),
      (rs, extra, expand) => {
        const views = rs.map((r) => analyzeRecord(build(r), 64));
        const causes = views.map((v) => explainHoles(v));
        const whole = renderJson('x86_64-linux-gnu', views, { expand, causes, ...(extra !== null ? { extra } : {}) });
        const pieces = views.map((v, i) => recordJsonText(v, causes[i], expand));
        assert.equal(jsonDocument({ target: 'x86_64-linux-gnu', records: [], ...extra }, pieces), whole);
        // One text a record, each of them JSON on its own.
        assert.equal(pieces.length, views.length);
        for (const p of pieces) JSON.parse(p);
      },
    ),
    { numRuns: 400 },
  );
});
