// DWARF abbreviation tables read by DwarfSections.abbrevs: an abbreviation whose bytes were met in
// another table is the one read then, one written differently but alike is shared too, the values
// past one byte (names, implicit constants) are read, and a table cut short is a located error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DwarfSections } from '../../src/binary/dwarf-sections.js';
import { BinaryError, ByteReader } from '../../src/binary/reader.js';

// structure_type, children: DW_AT_name strp, DW_AT_byte_size data1.
const STRUCT = [0x13, 1, 0x03, 0x0e, 0x0b, 0x0b, 0, 0];
// member: DW_AT_name string, DW_AT_data_member_location implicit_const -3, DW_AT_GNU_locviews (0x2137) sec_offset.
const MEMBER = [0x0d, 0, 0x03, 0x08, 0x38, 0x21, 0x7d, 0xb7, 0x42, 0x17, 0, 0];
// STRUCT with its name attribute written in two bytes (0x83 0x00 is 3).
const STRUCT_LONG = [0x13, 1, 0x83, 0x00, 0x0e, 0x0b, 0x0b, 0, 0];

function sections(bytes: number[]): DwarfSections {
  const r = new ByteReader(Uint8Array.from(bytes));
  return new DwarfSections(r, r);
}

test('DWARF abbreviations: alike ones shared among tables, their values read', () => {
  const a = [1, ...STRUCT, 2, ...MEMBER, 0];
  const b = [5, ...MEMBER, 6, ...STRUCT, 0];
  const c = [1, ...STRUCT_LONG, 0];
  const s = sections([...a, ...b, ...c]);
  const ta = s.abbrevs(0);
  const tb = s.abbrevs(a.length);
  const tc = s.abbrevs(a.length + b.length);
  assert.equal(s.abbrevs(0), ta);
  const st = ta.get(1)!;
  const mem = ta.get(2)!;
  assert.equal(tb.get(6), st);
  assert.equal(tb.get(5), mem);
  assert.equal(tc.get(1), st);
  assert.equal(s.allAbbrevs.length, 2);
  assert.deepEqual(
    { tag: st.tag, children: st.children, attrs: st.attrs.map((x) => [x.name, x.form]) },
    {
      tag: 0x13,
      children: true,
      attrs: [
        [3, 0x0e],
        [0x0b, 0x0b],
      ],
    },
  );
  assert.deepEqual(
    mem.attrs.map((x) => [x.name, x.form, x.implicit]),
    [
      [3, 0x08, undefined],
      [0x38, 0x21, -3],
      [0x2137, 0x17, undefined],
    ],
  );
  assert.equal(ta.get(3), undefined);
});

test('DWARF abbreviations: a table cut short is a located error', () => {
  const s = sections([1, 0x13, 1, 0x03, 0x0e, 0x0b]);
  assert.throws(() => s.abbrevs(0), BinaryError);
});
