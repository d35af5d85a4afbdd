// --every-header --packable: every struct of the tree ranked by the bytes reordering saves, as
// --packable ranks one unit's (advice.ts), each row with its definition site. The workers rank each
// record (every-header-unit.ts); here the rows are joined, ordered and rendered.

import { readFileSync } from 'node:fs';
import { parseCounts, parseSlabinfo, type Packable } from '../analyze/packable.js';
import type { RecordType } from '../model/model.js';
import { renderPackable } from '../render/packable.js';
import type { CliOptions } from './args.js';
import type { UnitRecord } from './every-header-unit.js';
import { bySite } from './every-header.js';

/** --counts/--slabinfo's live objects by name (undefined without them, or after an error reported). */
export function packableCounts(o: CliOptions): Map<string, number> | undefined {
  const file = o.counts ?? o.slabinfo;
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`layoutof: ${file}: ${(e as Error).message}\n`);
    return undefined;
  }
  const parsed = o.counts !== undefined ? parseCounts(text) : parseSlabinfo(text);
  for (const err of parsed.errors) process.stderr.write(`layoutof: ${file}: ${err}\n`);
  return parsed.errors.length ? undefined : parsed.counts;
}

/** One row as a worker sends it: the Packable without its record (only the record's kind). */
type Row = Omit<Packable, 'record'> & { record: RecordType['kind']; file: string; line: number };

/** The ranking's order (as rankPackable's), then by site: the same whatever the jobs and shards. */
type Ranked = Pick<Row, 'name' | 'savings' | 'objectSavings' | 'totalSavings' | 'file' | 'line'>;
export function byRank(x: Ranked, y: Ranked): number {
  const key = (p: Ranked): number => p.totalSavings ?? p.objectSavings ?? p.savings;
  return key(y) - key(x) || y.savings - x.savings || x.name.localeCompare(y.name) || bySite(x, y);
}

export function renderTreePackable(
  records: readonly UnitRecord[],
  o: CliOptions,
  target: string,
  failures: readonly { file: string; error: string }[],
  shard: { shard?: string },
): string {
  const rows = records
    .map((r): Row => ({ ...(JSON.parse(r.out) as Omit<Row, 'file' | 'line'>), file: r.file, line: r.line }))
    .sort(byRank);
  const objectAlign = o.objectAlign !== undefined ? Number(o.objectAlign) : undefined;
  // renderPackable reads only the record's kind.
  const packables = rows.map((r) => ({ ...r, record: { kind: r.record } as RecordType }));
  if (o.format !== 'json')
    return renderPackable(packables, o.format === 'markdown' ? 'markdown' : 'text', target, objectAlign);
  const doc = JSON.parse(renderPackable(packables, 'json', target, objectAlign)) as { records: object[] };
  doc.records = doc.records.map((x, i) => ({ ...x, file: rows[i]!.file, line: rows[i]!.line }));
  return JSON.stringify({ ...doc, failures, ...shard }, null, 2) + '\n';
}
