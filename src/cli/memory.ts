// --count N: what N objects of each record cost, each rounded up to --object-align, plus a hash table.
// Exact at any magnitude (BigInt): 10^15 objects of a few hundred bytes pass 2^53, where a double
// would print rounded digits as if they were exact.

import type { RecordType } from '../model/model.js';
import { estimateMemory } from '../analyze/layout-view.js';
import type { CliOptions } from './args.js';

interface Memory {
  readonly count: bigint;
  readonly objectSize: bigint;
  readonly objectAlign: bigint;
  readonly perObject: bigint;
  readonly objects: bigint;
  readonly hashBuckets: bigint;
  readonly bucketSize: bigint;
  readonly table: bigint;
  readonly total: bigint;
}

function memoryOf(r: RecordType, o: CliOptions): Memory {
  const objectAlign = o.objectAlign ?? 1n;
  const hashBuckets = o.hashBuckets ?? 0n;
  const bucketSize = o.bucketSize ?? 8n;
  const e = estimateMemory(r, o.count ?? 1n, objectAlign, hashBuckets, bucketSize);
  return { ...e, objectAlign, hashBuckets, bucketSize };
}

/** A JSON number up to 2^53, a decimal string past it (the schema's "count"). */
const exact = (n: bigint): number | string =>
  n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();

/** One record's entry of the JSON document's "memory". */
export function memoryJson(r: RecordType, o: CliOptions): object {
  const name = r.typedef !== undefined ? { name: r.name, typedef: r.typedef } : { name: r.name };
  // An incomplete record's size is not known: neither is what N of them cost.
  if (r.incomplete) return { ...name, kind: r.kind, incomplete: true };
  const m = memoryOf(r, o);
  const fields = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, exact(v as bigint)]));
  return { ...name, kind: r.kind, ...fields };
}

/** The text view's lines: "struct s: 1,000 objects × 64 bytes (40 rounded up to 64) = 64,000 bytes". */
export function memoryText(records: readonly RecordType[], o: CliOptions): string {
  let s = '';
  for (const r of records) {
    const name = r.name !== null ? `${r.kind} ${r.name}` : (r.typedef ?? r.kind);
    if (r.incomplete) {
      s += `\n${name}: size unknown (incomplete record)\n`;
      continue;
    }
    const m = memoryOf(r, o);
    s += `\n${name}: ${fmtCount(m.count)} objects × ${m.perObject} bytes`;
    if (m.perObject !== m.objectSize) s += ` (${m.objectSize} rounded up to ${m.objectAlign})`;
    s += ` = ${fmtBytes(m.objects)}\n`;
    if (m.table)
      s +=
        `  hash table: ${fmtCount(m.hashBuckets)} buckets × ${m.bucketSize} bytes = ${fmtBytes(m.table)}\n  total: ` +
        `${fmtBytes(m.total)}\n`;
  }
  return s;
}

const fmtCount = (n: bigint): string => n.toLocaleString('en-US');

/** "64,000,000 bytes (61.0 MiB)": the exact count, then a rounded binary unit. */
function fmtBytes(n: bigint): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
  let v = Number(n);
  let u = '';
  for (const x of units) {
    if (v < 1024) break;
    v /= 1024;
    u = x;
  }
  // (Past the largest unit the figure alone says it.)
  return u && v < 1024 ? `${fmtCount(n)} bytes (${v.toFixed(1)} ${u})` : `${fmtCount(n)} bytes`;
}
