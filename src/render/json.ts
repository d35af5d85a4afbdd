// The JSON output (schema version 1, stable: scripts depend on it). Offsets are bytes from the start of
// the top-level record, also inside anonymous members; bitfields add bitOffset (from the record start,
// as DWARF's DW_AT_data_bit_offset counts) and bitSize. A value past ±2^53 (a record larger than 2^50
// bytes: gcc allows up to PTRDIFF_MAX) is a string of decimal digits, as no JSON reader keeps it exact.

import type { HoleCause, HoleCauses } from '../analyze/hole-cause.js';
import type { RecordView } from '../analyze/layout-view.js';
import { recordOf, unnamedRecordOf, type Member, type RecordType } from '../model/model.js';
import { typeName } from '../model/print.js';

export interface JsonMember {
  name: string | null;
  type: string;
  /** null for a member of an incomplete record that could not be laid out (nor size nor align).
   *  Offsets and sizes past 2^53 are decimal strings (see exactNumber). */
  offset: number | string | null;
  size: number | string | null;
  align: number | null;
  bitOffset?: number | string;
  bitSize?: number;
  comment?: string;
  leadingComment?: string;
  spelling?: string;
  condition?: string;
  alignInferred?: boolean;
  /** The alignment the compiler records as explicit (an aligned() on the member or its type). */
  forcedAlign?: number;
  members?: JsonMember[];
}

export interface JsonOptions {
  /** Parallel to the views: what made each hole (src/analyze/hole-cause.ts). */
  readonly causes?: readonly (HoleCauses | undefined)[];
  /** Nested named records' members too (--expand), as the text view inlines them. */
  readonly expand?: boolean;
  /** Document-level fields after "records" (the CLI's "memory" and "diagnostics"). */
  readonly extra?: object;
}

export function toJson(target: string, views: readonly RecordView[], opts: JsonOptions = {}): object {
  const expand = !!opts.expand;
  return {
    target,
    records: views.map((v, i) => recordJson(v, opts.causes?.[i], expand)),
    ...opts.extra,
  };
}

function recordJson(v: RecordView, why: HoleCauses | undefined, expand: boolean): object {
  const r = v.record;
  const o: { [k: string]: unknown } = { name: r.name };
  if (r.typedef !== undefined) o.typedef = r.typedef;
  if (r.scope !== undefined) o.scope = r.scope;
  if (r.variable !== undefined) o.variable = r.variable;
  o.kind = r.kind;
  // An incomplete record's size and alignment are not known (see model Incomplete).
  o.size = r.incomplete ? null : exactNumber(r.exactSize ?? r.size);
  o.align = r.incomplete ? null : r.align;
  if (r.incomplete) {
    o.incomplete = true;
    o.errors = r.incomplete.errors;
  }
  if (r.origin?.kind === 'source') {
    o.file = r.origin.file;
    o.line = r.origin.line;
  }
  if (r.alignInferred) o.alignInferred = true;
  if (r.packed) o.packed = true;
  if (r.randomizeLayout) o.randomizeLayout = true;
  if (r.uncertain?.length) o.uncertain = r.uncertain;
  if (r.comment) o.comment = r.comment;
  o.members = members(r, 0, expand);
  o.holes = v.holes.map((h, k) => ({
    offset: exactNumber(h.exactOffset ?? h.offset),
    size: h.size,
    ...causeJson(why?.holes[k]),
  }));
  if (v.bitHoles.length)
    o.bitHoles = v.bitHoles.map((h, k) => ({
      bitOffset: exactNumber(h.exactBitOffset ?? h.bitOffset),
      bits: h.bits,
      ...causeJson(why?.bitHoles[k]),
    }));
  o.tailPadding = r.incomplete ? null : v.tailPadding;
  if (why?.tail && !r.incomplete) o.tailPaddingCause = causeJson(why.tail);
  if (v.bitPadding) o.bitPadding = v.bitPadding;
  o.cachelines = r.incomplete ? null : exactNumber(v.exact?.cachelines ?? v.cachelines);
  return o;
}

function causeJson(c: HoleCause | undefined): object {
  if (!c) return {};
  const o =
    c.align !== undefined
      ? { cause: c.cause, member: c.member?.name ?? null, align: c.align }
      : { cause: c.cause, member: c.member?.name ?? null };
  // (Only from a binary: the rule is what the offsets imply, see hole-cause.ts.)
  return c.inferred ? { ...o, inferred: true } : o;
}

/** A number as JSON keeps it exact: past ±2^53, a string of decimal digits. */
export function exactNumber(n: number | bigint): number | string {
  if (typeof n === 'number') return n;
  return n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : String(n);
}

/** `exactBase`: the record's offset in bits, exact, inside a record larger than 2^50 bytes. */
function members(r: RecordType, baseBits: number, expand: boolean, exactBase?: bigint): JsonMember[] {
  const out = r.members.map((m) => member(m, baseBits, expand, exactBase));
  for (const u of r.incomplete?.unplaced ?? [])
    out.push({ name: u.name, type: typeName(u.type), offset: null, size: null, align: null });
  return out;
}

function member(m: Member, baseBits: number, expand: boolean, exactBase?: bigint): JsonMember {
  const abs = baseBits + m.bitOffset;
  const exact =
    exactBase !== undefined || m.exact
      ? (exactBase ?? BigInt(baseBits)) + (m.exact?.bitOffset ?? BigInt(m.bitOffset))
      : undefined;
  const j: JsonMember = {
    name: m.name,
    type: typeName(m.type),
    offset: exact !== undefined ? exactNumber(exact / 8n) : Math.floor(abs / 8),
    size: m.exact ? exactNumber(m.exact.size) : m.size,
    align: m.align,
  };
  if (m.bitSize !== undefined) {
    j.bitOffset = exact !== undefined ? exactNumber(exact) : abs;
    j.bitSize = m.bitSize;
  }
  if (m.comment) j.comment = m.comment;
  if (m.leadingComment) j.leadingComment = m.leadingComment;
  if (m.spelling) j.spelling = m.spelling;
  if (m.condition) j.condition = m.condition;
  if (m.alignInferred) j.alignInferred = true;
  if (m.forcedAlign !== undefined) j.forcedAlign = m.forcedAlign;
  // The members of a record without a name, as the text view shows them inline: through qualifiers,
  // and for an array of one, its first element's.
  // With --expand, a named record member's too (through typedefs and qualifiers, not arrays).
  const named = expand ? recordOf(m.type) : undefined;
  const sub = unnamedRecordOf(m.type) ?? (named && named.members.length > 0 ? named : undefined);
  if (sub) j.members = members(sub, abs, expand, exact);
  return j;
}

export function renderJson(target: string, views: readonly RecordView[], opts: JsonOptions = {}): string {
  return JSON.stringify(toJson(target, views, opts), null, 2) + '\n';
}

/** One record's JSON as `renderJson` prints it in the document's list (indented two levels): made
 *  and printed a record at a time, so that a unit's thousands of records are never all held as JSON
 *  objects at once (the CLI, --every-header's workers). Joined by `jsonDocument`. */
export function recordJsonText(view: RecordView, causes: HoleCauses | undefined, expand = false): string {
  // Stringified two lists deep: `[\n  [\n    ` before it, `\n  ]\n]` after it.
  return JSON.stringify([[recordJson(view, causes, expand)]], null, 2).slice(10, -6);
}

/** A JSON document as JSON.stringify(doc, null, 2) prints it, with `records` given already printed
 *  (as `recordJsonText` prints them) in place of its `records` list. */
export function jsonDocument(doc: { [k: string]: unknown }, records: readonly string[]): string {
  const MARK = '@@layoutof-records@@';
  const text = JSON.stringify({ ...doc, records: records.length ? [MARK] : [] }, null, 2) + '\n';
  const at = text.indexOf(`"${MARK}"`);
  if (at < 0) return text;
  return text.slice(0, at) + records.join(',\n    ') + text.slice(at + MARK.length + 2);
}
