// `layoutof merge A.json B.json ...`: joins the JSON of --every-header --shard runs into the document
// the unsharded run prints (records each once by name and definition site, sorted by site; failures
// by file), so that a CI matrix or any batch scheduler can spread a sweep with nothing of ours
// coordinating machines. Also the entry of --every-header runs (asynchronous: worker processes).

import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, UsageError } from './args.js';
import { bySite, everyHeader, siteKey } from './every-header.js';
import { everyHeaderDiff, isJsonDocument } from './every-header-diff.js';
import { byRank } from './every-header-packable.js';

type Ranked = Parameters<typeof byRank>[0];

interface Doc {
  target: string;
  objectAlign?: number;
  records: { name: string | null; typedef?: string; file: string; line: number; reorganizedSize?: number }[];
  failures: { file: string; error: string }[];
  shard?: string;
}

/** Whether argv is a `merge` (its first operand, when no file has that name), an --every-header run,
 *  or a --diff of two saved JSON documents. */
export function isTrees(argv: readonly string[]): boolean {
  return argv.includes('--every-header') || isMerge(argv) || isDocumentDiff(argv);
}

function isDocumentDiff(argv: readonly string[]): boolean {
  if (!argv.includes('--diff')) return false;
  try {
    const o = parseArgs([...argv]);
    return !!o.diffInputs && !o.help && o.diffInputs.every(isJsonDocument);
  } catch {
    return false;
  }
}

const isMerge = (argv: readonly string[]): boolean =>
  argv.find((a) => !a.startsWith('-')) === 'merge' && !existsSync('merge');

export async function trees(argv: string[]): Promise<number> {
  if (isMerge(argv)) {
    const operands = argv.filter((a) => !a.startsWith('-'));
    const unknown = argv.find((a) => a.startsWith('-') && a !== '--no-cache');
    if (unknown) throw new UsageError(`'merge' takes only the JSON files to join, not '${unknown}'`);
    return merge(operands.slice(1));
  }
  const o = parseArgs(argv);
  return o.everyHeader ? everyHeader(o) : everyHeaderDiff(o);
}

function merge(files: readonly string[]): number {
  if (files.length === 0)
    throw new UsageError("'merge' needs the JSON outputs of --every-header runs: layoutof merge A.json B.json ...");
  const docs: Doc[] = [];
  for (const f of files) {
    let doc: Doc;
    try {
      doc = JSON.parse(readFileSync(f, 'utf8')) as Doc;
    } catch (e) {
      process.stderr.write(`layoutof: error: ${f}: ${(e as Error).message.replace(/^ENOENT: /, '')}\n`);
      return 1;
    }
    if (typeof doc?.target !== 'string' || !Array.isArray(doc.records) || !Array.isArray(doc.failures)) {
      process.stderr.write(`layoutof: error: ${f}: not the JSON of an --every-header run (--format json)\n`);
      return 1;
    }
    if (docs.length && doc.target !== docs[0]!.target) {
      process.stderr.write(
        `layoutof: error: ${f}: its target is ${doc.target}, the first input's ${docs[0]!.target}; merge one ` +
          `target's shards at a time\n`,
      );
      return 1;
    }
    docs.push(doc);
  }
  // --packable's rankings (rows with reorganizedSize) are merged into a ranking, of one --object-align.
  const ranked = (d: Doc) => d.records.length > 0 && d.records[0]!.reorganizedSize !== undefined;
  const packable = docs.some(ranked);
  const odd = docs.findIndex((d) => d.records.length > 0 && ranked(d) !== packable);
  const align = docs.findIndex((d) => d.objectAlign !== docs[0]!.objectAlign);
  if (odd >= 0 || align >= 0) {
    const why = odd >= 0 ? 'a --packable ranking and a layouts document' : 'rankings of different --object-align';
    process.stderr.write(`layoutof: error: ${files[Math.max(odd, align)]}: cannot merge ${why}\n`);
    return 1;
  }
  // Shards in their order, then the first of each site kept, as the unsharded run keeps its first unit's.
  const order = (d: Doc): number => Number(/^(\d+)\//.exec(d.shard ?? '')?.[1] ?? 0);
  docs.sort((a, b) => order(a) - order(b));
  const seen = new Map<string, Doc['records'][number]>();
  const key = (r: Doc['records'][number]) => ({ name: r.name ?? r.typedef ?? '', file: r.file, line: r.line });
  for (const d of docs) for (const r of d.records) if (!seen.has(siteKey(key(r)))) seen.set(siteKey(key(r)), r);
  const records = [...seen.values()].sort((a, b) =>
    packable ? byRank(a as Ranked, b as Ranked) : bySite(key(a), key(b)),
  );
  const failures = docs.flatMap((d) => d.failures).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const objectAlign = docs[0]!.objectAlign !== undefined ? { objectAlign: docs[0]!.objectAlign } : {};
  process.stdout.write(JSON.stringify({ target: docs[0]!.target, ...objectAlign, records, failures }, null, 2) + '\n');
  return 0;
}
