// `layoutof merge A.json B.json ...`: joins the JSON of --every-header --shard runs into the document
// the unsharded run prints (records each once by name and definition site, sorted by site; failures
// by file), so that a CI matrix or any batch scheduler can spread a sweep with nothing of ours
// coordinating machines. Also the entry of --every-header runs (asynchronous: worker processes).

import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, UsageError } from './args.js';
import { bySite, everyHeader, siteKey } from './every-header.js';

interface Doc {
  target: string;
  records: { name: string | null; typedef?: string; file: string; line: number }[];
  failures: { file: string; error: string }[];
  shard?: string;
}

/** Whether argv is a `merge` (its first operand, when no file has that name) or an --every-header run. */
export function isTrees(argv: readonly string[]): boolean {
  return argv.includes('--every-header') || isMerge(argv);
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
  return everyHeader(parseArgs(argv));
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
  // Shards in their order, then the first of each site kept, as the unsharded run keeps its first unit's.
  const order = (d: Doc): number => Number(/^(\d+)\//.exec(d.shard ?? '')?.[1] ?? 0);
  docs.sort((a, b) => order(a) - order(b));
  const seen = new Map<string, Doc['records'][number]>();
  const key = (r: Doc['records'][number]) => ({ name: r.name ?? r.typedef ?? '', file: r.file, line: r.line });
  for (const d of docs) for (const r of d.records) if (!seen.has(siteKey(key(r)))) seen.set(siteKey(key(r)), r);
  const records = [...seen.values()].sort((a, b) => bySite(key(a), key(b)));
  const failures = docs.flatMap((d) => d.failures).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  process.stdout.write(JSON.stringify({ target: docs[0]!.target, records, failures }, null, 2) + '\n');
  return 0;
}
