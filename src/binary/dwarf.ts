// DWARF 2-5 (.debug_info, .debug_abbrev, .debug_str, .debug_line_str, .debug_str_offsets) → model
// Records. This file scans the units and keeps the DIEs that can describe types (dwarf-model.ts turns
// them into records; dwarf-forms.ts and dwarf-sections.ts read the encodings). Reference: the DWARF 5
// standard, sections 2.2 (attributes), 5.7 (structures), 7.5 (encodings).

import type { RecordType } from '../model/model.js';
import { ByteReader, RecordIssues } from './reader.js';
import { DW_AT, DW_TAG, DW_UT } from './dwarf-const.js';
import { Unit } from './dwarf-forms.js';
import { DwarfSections, Leb, type Abbrev } from './dwarf-sections.js';
import { DwarfModel } from './dwarf-model.js';

export interface DwarfInput {
  readonly info: ByteReader;
  readonly abbrev: ByteReader;
  readonly str?: ByteReader;
  readonly lineStr?: ByteReader;
  readonly strOffsets?: ByteReader;
  readonly little: boolean;
  readonly addressSize: number;
}

/** Tags that never describe a type (and whose subtrees hold types only as local definitions). */
const SKIP_TAGS = new Set<number>([
  DW_TAG.subprogram,
  DW_TAG.variable,
  DW_TAG.lexical_block,
  DW_TAG.inlined_subroutine,
  DW_TAG.label,
  DW_TAG.call_site,
  DW_TAG.call_site_parameter,
  DW_TAG.GNU_call_site,
  DW_TAG.GNU_call_site_parameter,
  DW_TAG.enumerator,
  DW_TAG.imported_declaration,
  DW_TAG.imported_module,
  DW_TAG.constant,
]);
/** Tags kept even inside a skipped subtree: type definitions (a struct declared in a function). */
const TYPE_TAGS = new Set<number>([
  DW_TAG.structure_type,
  DW_TAG.union_type,
  DW_TAG.class_type,
  DW_TAG.enumeration_type,
  DW_TAG.typedef,
  DW_TAG.base_type,
  DW_TAG.pointer_type,
  DW_TAG.array_type,
  DW_TAG.const_type,
  DW_TAG.volatile_type,
  DW_TAG.restrict_type,
  DW_TAG.atomic_type,
  DW_TAG.subroutine_type,
  DW_TAG.reference_type,
  DW_TAG.unspecified_type,
]);

/** Abbrev.scan's bits: the tag is in SKIP_TAGS, in TYPE_TAGS. */
const SKIP = 1;
const TYPE = 2;

/** Reads every named struct and union (and typedef'd anonymous ones) of all compilation units;
 *  records an impossible value leaves incomplete are added to `issues`. */
export function dwarfRecords(
  sec: DwarfInput,
  issues = new RecordIssues<RecordType>(),
): { records: RecordType[]; typedefs: Map<string, RecordType> } {
  const secs = new DwarfSections(sec.info, sec.abbrev, sec.str, sec.lineStr, sec.strOffsets);
  const info = sec.info;
  // (A DIE takes 5 bytes on average, and the scan keeps a third of them or more.)
  const store = new DieStore(Math.max(1024, info.length >> 3), secs.allAbbrevs);
  let p = 0;
  let units = 0;
  while (p < info.length) {
    if (++units > 1_000_000) throw info.fail('too many compilation units', p);
    const unitStart = p;
    let len = info.u32(p);
    let off = 4;
    let is64 = false;
    if (len === 0xffffffff) {
      len = info.u64(p + 4);
      off = 12;
      is64 = true;
    }
    const end = p + off + len;
    info.check(p, off + len, 'compilation unit');
    const version = info.u16(p + off);
    let q = p + off + 2;
    let abbrevOff: number;
    let addrSize: number;
    if (version < 2 || version > 5) throw info.fail(`unsupported DWARF version ${version}`, p + off);
    if (version >= 5) {
      const unitType = info.u8(q);
      addrSize = info.u8(q + 1);
      abbrevOff = is64 ? info.u64(q + 2) : info.u32(q + 2);
      q += 2 + (is64 ? 8 : 4);
      if (unitType === DW_UT.type || unitType === DW_UT.split_type) q += 8 + (is64 ? 8 : 4);
      else if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) q += 8; // dwo_id
    } else {
      abbrevOff = is64 ? info.u64(q) : info.u32(q);
      q += is64 ? 8 : 4;
      addrSize = info.u8(q);
      q += 1;
    }
    const abbrevs = secs.abbrevs(abbrevOff);
    const u = new Unit(secs, unitStart, version, is64, addrSize, abbrevs);
    const sizes = u.sizes;
    const unit = store.units.push(u) - 1;
    // The stack of open DIEs: kept ones by index, skipped ones (a function, variable, block...) as
    // -1: their attributes are stepped over without being decoded, and of their children only type
    // definitions are kept.
    const stack: number[] = [];
    // (Calls are not inlined in a binary input's run, src/cli/prime.ts: the commonest cases of
    // ByteReader.u8, AbbrevTable.get and Unit.skipAttrs are spelled out here.)
    const bytes = info.bytes;
    const dense = abbrevs.dense;
    while (q < end) {
      const dieOff = q;
      let code = bytes[q] ?? info.u8(q);
      q++;
      if (code >= 0x80) {
        // (Inline: a unit of more than 127 abbreviations has many such codes.)
        code &= 0x7f;
        const b = bytes[q] ?? info.u8(q);
        q++;
        code |= (b & 0x7f) << 7;
        if (b >= 0x80) {
          const c = new Leb(info, dieOff);
          code = c.u();
          q = c.pos;
        }
      }
      if (code === 0) {
        stack.pop();
        continue;
      }
      const ab = code < dense.length ? dense[code] : abbrevs.get(code);
      if (!ab) throw info.fail(`unknown abbreviation code ${code}`, dieOff);
      const parent = stack.length ? stack[stack.length - 1]! : -2; // -2: none (a unit's root)
      if (ab.fixedFor !== sizes) {
        u.fixAbbrev(ab, sizes);
        ab.scan = (SKIP_TAGS.has(ab.tag) ? SKIP : 0) | (TYPE_TAGS.has(ab.tag) ? TYPE : 0);
      }
      if (parent === -1 ? (ab.scan & TYPE) === 0 : (ab.scan & SKIP) !== 0) {
        q = ab.fixed >= 0 ? q + ab.fixed : u.skipAttrs(ab, q);
        if (ab.children) stack.push(-1);
        continue;
      }
      // (Stored in place, not through a method: a call per kept DIE, 400,000 in a libc, cost more
      // than the stores.)
      if (store.count === store.offs.length) store.grow();
      const idx = store.count++;
      store.offs[idx] = dieOff;
      store.attrPos[idx] = q;
      store.abbrevId[idx] = ab.id;
      store.tag[idx] = ab.tag;
      store.unit[idx] = unit;
      store.firstChild[idx] = -1;
      store.nextSibling[idx] = -1;
      store.lastChild[idx] = -1;
      if (parent >= 0) {
        const last = store.lastChild[parent]!;
        if (last < 0) store.firstChild[parent] = idx;
        else store.nextSibling[last] = idx;
        store.lastChild[parent] = idx;
      }
      if (ab.strOffsetsBase) {
        // DWARF 5: the unit's base for DW_FORM_strx, needed before any string is read.
        for (const a of ab.attrs) {
          if (a.name === DW_AT.str_offsets_base) {
            const v = u.readForm(a.form, q, a.implicit);
            if (typeof v === 'number') u.strOffBase = v;
          }
          q = u.skipForm(a.form, q);
        }
      } else q = ab.fixed >= 0 ? q + ab.fixed : u.skipAttrs(ab, q);
      if (ab.children) stack.push(idx);
    }
    p = end;
  }
  const model = new DwarfModel(store, sec.addressSize, sec.little, issues);
  return { records: model.records(), typedefs: model.typedefs };
}

/** The DIEs kept from .debug_info, as parallel arrays in document order (no object per DIE): where
 *  each starts and its attributes start, its abbreviation, unit and children. The model turns
 *  the few it reads into Die objects, decoding their attributes then. */
export class DieStore {
  count = 0;
  offs: Uint32Array;
  attrPos: Uint32Array;
  unit: Int32Array;
  /** Each DIE's abbreviation (an id into `abbrevs`) and tag. */
  abbrevId: Int32Array;
  tag: Uint32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  /** Each DIE's last child so far (while scanning). */
  lastChild: Int32Array;
  readonly units: Unit[] = [];

  constructor(
    capacity: number,
    readonly abbrevs: readonly Abbrev[],
  ) {
    this.offs = new Uint32Array(capacity);
    this.abbrevId = new Int32Array(capacity);
    this.tag = new Uint32Array(capacity);
    this.attrPos = new Uint32Array(capacity);
    this.unit = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
    this.lastChild = new Int32Array(capacity);
  }

  /** The abbreviation of DIE i. */
  abbrev(i: number): Abbrev {
    return this.abbrevs[this.abbrevId[i]!]!;
  }

  grow(): void {
    const n = this.offs.length * 2;
    const g = <T extends Uint32Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      b.set(a);
      return b;
    };
    this.offs = g(this.offs);
    this.attrPos = g(this.attrPos);
    this.unit = g(this.unit);
    this.abbrevId = g(this.abbrevId);
    this.tag = g(this.tag);
    this.firstChild = g(this.firstChild);
    this.nextSibling = g(this.nextSibling);
    this.lastChild = g(this.lastChild);
  }

  /** The index of the DIE at .debug_info offset `off` (offsets ascend), or -1. */
  find(off: number): number {
    let lo = 0;
    let hi = this.count - 1;
    const offs = this.offs;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = offs[mid]!;
      if (v === off) return mid;
      if (v < off) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
