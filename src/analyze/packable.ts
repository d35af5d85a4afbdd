// What reordering would save, record by record (pure): each struct's size against the smallest order
// the reorganizer finds (src/analyze/reorganize.ts, without the fewest-moves search), per object, per
// object as the allocator rounds it (--object-align: a saving can vanish in the rounding), and over
// the live objects when counts are known (--counts, --slabinfo). Largest saving first.

import type { RecordType } from '../model/model.js';
import { reorganize, type ReorganizeOptions } from './reorganize.js';
import type { BinaryCaveat } from './reorganize-binary.js';
import { isExact } from './exact.js';

export interface PackableOptions extends ReorganizeOptions {
  /** Bytes each object is rounded up to (a slab's alignment). */
  readonly objectAlign?: number;
  /** Live objects by record name. */
  readonly counts?: ReadonlyMap<string, number>;
  /** Leave out records that save less than this many bytes per object. */
  readonly minSavings?: number;
}

export interface Packable {
  readonly record: RecordType;
  readonly name: string;
  readonly size: number;
  readonly reorganizedSize: number;
  readonly savings: number;
  /** With objectAlign: the sizes the allocator hands out, before and after. */
  readonly objectSize?: number;
  readonly reorganizedObjectSize?: number;
  readonly objectSavings?: number;
  /** With counts: the live objects, and the bytes saved across them (per allocated object size
   *  when objectAlign is given). */
  readonly count?: number;
  readonly totalSavings?: number;
  /** From a binary: the reorganized size assumes alignments it does not record. */
  readonly caveat?: BinaryCaveat;
}

export const recordName = (r: RecordType): string | undefined => r.name ?? r.typedef;

export function rankPackable(records: readonly RecordType[], opts: PackableOptions = {}): Packable[] {
  const out: Packable[] = [];
  const seen = new Set<string>();
  const a = opts.objectAlign;
  for (const r of records) {
    const name = recordName(r);
    if (name === undefined || r.kind !== 'struct' || seen.has(`${r.kind} ${name}`)) continue;
    seen.add(`${r.kind} ${name}`);
    if (opts.counts && !opts.counts.has(name)) continue;
    if (!isExact(r)) continue; // (past 2^50 bytes: not analysable, see usableOnly; the others are ranked)
    if (ceilTo(dataBytes(r), r.align) >= r.size) continue; // (no padding to take out)
    const res = reorganize(r, { ...opts, fewestMoves: false, hot: undefined });
    if (res.kind !== 'reorganized' || res.record.size >= r.size) continue;
    const savings = r.size - res.record.size;
    if (savings < (opts.minSavings ?? 1)) continue;
    let p: Packable = { record: r, name, size: r.size, reorganizedSize: res.record.size, savings };
    if (res.caveat) p = { ...p, caveat: res.caveat };
    if (a !== undefined && a > 1) {
      const objectSize = ceilTo(r.size, a);
      const reorganizedObjectSize = ceilTo(res.record.size, a);
      p = { ...p, objectSize, reorganizedObjectSize, objectSavings: objectSize - reorganizedObjectSize };
    }
    const count = opts.counts?.get(name);
    if (count !== undefined) p = { ...p, count, totalSavings: count * (p.objectSavings ?? savings) };
    out.push(p);
  }
  const key = (p: Packable): number => p.totalSavings ?? p.objectSavings ?? p.savings;
  return out.sort((x, y) => key(y) - key(x) || y.savings - x.savings || x.name.localeCompare(y.name));
}

const ceilTo = (v: number, a: number): number => Math.ceil(v / Math.max(1, a)) * Math.max(1, a);

/** Bytes of data: no order is smaller than this rounded to the record's alignment. */
function dataBytes(r: RecordType): number {
  let bytes = 0;
  let bits = 0;
  for (const m of r.members) {
    if (m.bitSize !== undefined) bits += m.bitSize;
    else bytes += m.size;
  }
  return bytes + Math.ceil(bits / 8);
}

/** `NAME COUNT` lines (# comments, blank lines ignored); NAME may carry `struct `. */
export function parseCounts(text: string): { counts: Map<string, number>; errors: string[] } {
  const counts = new Map<string, number>();
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    const t = line.replace(/#.*/, '').trim();
    if (!t) return;
    const m = /^(?:(?:struct|union)\s+)?(\w+)\s+(\d+)$/.exec(t);
    if (!m) errors.push(`line ${i + 1}: expected 'NAME COUNT', not '${t}'`);
    else counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + Number(m[2]));
  });
  return { counts, errors };
}

/** /proc/slabinfo (version 2.1): each cache's active objects, by the cache's name; a cache is matched
 *  to the record of its name (ip_vs_conn), or with a _cache/_cachep suffix taken off. */
export function parseSlabinfo(text: string): { counts: Map<string, number>; errors: string[] } {
  const counts = new Map<string, number>();
  const errors: string[] = [];
  const lines = text.split('\n');
  if (!/^slabinfo - version: 2\./.test(lines[0] ?? ''))
    errors.push('not /proc/slabinfo version 2 (its first line says the version)');
  for (const line of lines.slice(1)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.trim().split(/\s+/);
    const active = Number(f[1]);
    if (f.length < 6 || !Number.isFinite(active)) continue;
    const name = f[0]!.replace(/[-.]/g, '_');
    for (const n of new Set([name, name.replace(/_cachep?$/, '')])) counts.set(n, (counts.get(n) ?? 0) + active);
  }
  return { counts, errors };
}
