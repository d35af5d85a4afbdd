// Compares our layout of records (from analyzeSource) with gcc's truth and lists every difference.
import type { RecordType } from '../../src/model/model.js';
import { isAnonymousRecordMember, recordOf, unnamedRecordOf } from '../../src/model/model.js';
import type { ProbeRecord, TruthRecord } from './gcc-truth.js';

/** Named members reachable through anonymous members: name -> absolute bit offset and bit size. */
type Flat = { bitOffset: number; bitSize?: number; size: number };
export function flatten(r: RecordType, base = 0, out = new Map<string, Flat>()): Map<string, Flat> {
  for (const m of r.members) {
    const abs = base + m.bitOffset;
    const sub = recordOf(m.type);
    if (m.name === null && sub && isAnonymousRecordMember(m)) flatten(sub, abs, out);
    else if (m.name !== null) out.set(m.name, { bitOffset: abs, bitSize: m.bitSize, size: m.size });
  }
  return out;
}

export function compareRecord(ours: RecordType | undefined, probe: ProbeRecord, truth: TruthRecord): string[] {
  const diffs: string[] = [];
  if (!ours) return [`${probe.ctype}: missing from our output`];
  if (ours.size !== truth.size) diffs.push(`${probe.ctype}: size ${ours.size}, gcc ${truth.size}`);
  if (ours.align !== truth.align) diffs.push(`${probe.ctype}: align ${ours.align}, gcc ${truth.align}`);
  const flat = flatten(ours);
  for (const [name, off] of truth.offsets) {
    const m = flat.get(name);
    if (!m) diffs.push(`${probe.ctype}.${name}: missing`);
    else if (m.bitOffset !== off * 8) diffs.push(`${probe.ctype}.${name}: offset ${m.bitOffset / 8}, gcc ${off}`);
  }
  for (const [name, size] of truth.sizes) {
    const m = flat.get(name);
    if (m && m.size !== size) diffs.push(`${probe.ctype}.${name}: size ${m.size}, gcc ${size}`);
  }
  for (const [name, b] of truth.bits) {
    const m = flat.get(name);
    if (!m) diffs.push(`${probe.ctype}.${name}: missing`);
    else if (m.bitOffset !== b.bitOffset || m.bitSize !== b.bitSize)
      diffs.push(`${probe.ctype}.${name}: bits ${m.bitOffset}+${m.bitSize}, gcc ${b.bitOffset}+${b.bitSize}`);
  }
  return diffs;
}

/** Probes for every tagged record (each tag once) and the records they probe, in the same order. */
export function probesForTagged(records: readonly RecordType[]): { probes: ProbeRecord[]; ours: RecordType[] } {
  const probes: ProbeRecord[] = [];
  const ours: RecordType[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (r.name === null || seen.has(r.name)) continue;
    seen.add(r.name);
    probes.push(probeFor(r, `${r.kind} ${r.name}`));
    ours.push(r);
  }
  return { probes, ours };
}

/** A probe of every named member of `r` (through anonymous members), bitfields apart; the size of
 *  each member we give a size (not a flexible array, whose sizeof gcc refuses). */
export function probeFor(r: RecordType, ctype: string): ProbeRecord {
  const fields: string[] = [];
  const sized: string[] = [];
  const bitfields: { name: string; bool?: boolean }[] = [];
  for (const [n, m] of flatten(r)) {
    if (m.bitSize !== undefined) bitfields.push({ name: n, bool: m.bitSize === 1 });
    else {
      fields.push(n);
      if (m.size > 0) sized.push(n);
    }
  }
  return { ctype, fields, sized, bitfields };
}

/** A record as the three readings of one build must agree on it (pahole's btfdiff idea): kind, size,
 *  and each member's name, bit offset, bit size and size. Unnamed bitfields are left out: they are
 *  padding, and compilers leave them out of DWARF and BTF. */
export function layoutSignature(r: RecordType): string {
  return `${r.kind} ${r.size}${r.forcedAlign ? `!${r.forcedAlign}` : ''} ` + membersSignature(r, 0);
}

/** Members by name, bit position, size and forced alignment (`!N`), those of unnamed record types
 *  in braces after theirs. */
function membersSignature(r: RecordType, depth: number): string {
  return r.members
    .filter((m) => m.name !== null || m.bitSize === undefined)
    .map((m) => {
      const inner = depth < 8 ? unnamedRecordOf(m.type) : undefined;
      const innerSig = inner
        ? `${inner.forcedAlign ? `!${inner.forcedAlign}` : ''}{${membersSignature(inner, depth + 1)}}`
        : '';
      return `${m.name}@${m.bitOffset}:${m.bitSize ?? ''}/${m.size}${m.forcedAlign ? `!${m.forcedAlign}` : ''}${innerSig}`;
    })
    .join(',');
}

/** A layoutSignature without the forced alignments, which BTF does not record. */
export function withoutForcedAlign(sig: string): string {
  return sig.replace(/!\d+/g, '');
}

/** Named records by `kind name` (the first of each), as layoutSignature strings. */
export function signaturesByName(records: readonly RecordType[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const x of records)
    if (x.name !== null && !m.has(`${x.kind} ${x.name}`)) m.set(`${x.kind} ${x.name}`, layoutSignature(x));
  return m;
}
