// --every-header: every struct and union of a kernel tree (its include/ headers and the
// architecture's, as the kernel sweep test selects them) or of a compilation database (every entry),
// each once (by name and definition site), in one run spread over --jobs worker processes. --shard I/N
// answers the I-th of N fixed slices of the units; `layoutof merge` (merge.ts) joins their JSON.
// The output is sorted by definition site, so neither the jobs nor the shards change it.

import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { kernelTree } from '../kernel/kbuild.js';
import { UsageError, type CliOptions } from './args.js';
import { compdbEntries, headersUnder } from './by-name.js';
import type { UnitExtra, UnitJob, UnitRecord, UnitResult } from './every-header-unit.js';
import { defaultTarget, includeDirs } from './context.js';
import { runAll } from './every-header-share.js';
import { everyHeaderDiff } from './every-header-diff.js';
import { packableCounts, renderTreePackable } from './every-header-packable.js';
import { NodeFileSystem } from './nodefs.js';
import { progressBar } from './progress.js';
import { jsonDocument } from '../render/json.js';

/** Headers per kernel unit: large enough that <linux/module.h>, read by every unit, costs little. */
const UNIT = 40;
/** Headers per unit of -I directories: fewer than a kernel unit's, since userland headers meant to be
 *  included alone more often clash when included together (a clash splits the unit). */
const DIR_UNIT = 20;
/** What the kernel sweep leaves out of include/ (test/support/make-sweep-list.ts). */
const SKIP_DIRS = new Set(['uapi', 'trace', 'asm-generic', 'dt-bindings', 'math-emu', 'vdso']);

/** The units of the tree, in a fixed order. */
export function everyHeaderUnits(o: CliOptions): UnitJob[] {
  if (o.kernel !== undefined) {
    const tree = kernelTree(o.kernel, new NodeFileSystem());
    const inc = join(tree.srcTree, 'include');
    const asm = join(tree.srcTree, 'arch', tree.srcArch, 'include');
    const headers = [
      ...headersUnder(inc, SKIP_DIRS)
        .filter((h) => dirname(h) !== inc)
        .map((h) => relative(inc, h)),
      ...headersUnder(join(asm, 'asm')).map((h) => relative(asm, h)),
    ];
    return slices(headers, UNIT);
  }
  if (o.compdb !== undefined) return compdbEntries(o.compdb).entries.map((e, index) => ({ index, files: [e.file] }));
  const dirs = includeDirs(o);
  if (dirs.length === 0)
    throw new UsageError("'--every-header' needs a tree: --kernel DIR, -p compile_commands.json or -I DIR");
  // Each header by the name the directories give it first (a later directory's header of the same
  // name is not what an #include finds).
  const names = new Set<string>();
  for (const d of dirs) for (const h of headersUnder(d)) names.add(relative(d, h));
  return slices([...names], DIR_UNIT);
}

/** Items in slices of `size`, numbered. */
function slices(items: readonly string[], size: number): UnitJob[] {
  const jobs: UnitJob[] = [];
  for (let i = 0; i < items.length; i += size) jobs.push({ index: jobs.length, files: items.slice(i, i + size) });
  return jobs;
}

/** The I-th of N contiguous slices (1-based), the same on every machine. */
export function shardOf<T>(items: readonly T[], shard: readonly [number, number] | undefined): T[] {
  if (!shard) return [...items];
  const [i, n] = shard;
  return items.slice(Math.floor(((i - 1) * items.length) / n), Math.floor((i * items.length) / n));
}

/** Records of every result, each site once (the first unit's), sorted by site; failures by file. */
export function joinResults(results: readonly UnitResult[]): {
  records: UnitRecord[];
  failures: { file: string; error: string }[];
} {
  const seen = new Map<string, UnitRecord>();
  for (const r of results) for (const x of r.records) if (!seen.has(siteKey(x))) seen.set(siteKey(x), x);
  const records = [...seen.values()].sort(bySite);
  const failures = results.flatMap((r) => r.failures).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { records, failures };
}

export const siteKey = (x: { name: string; file: string; line: number }): string => `${x.name}\0${x.file}\0${x.line}`;
export function bySite(
  a: { name: string; file: string; line: number },
  b: { name: string; file: string; line: number },
): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** One tree swept: its records (each site once, by site), failures, and what the note counts. */
export interface Sweep {
  readonly target: string;
  readonly records: UnitRecord[];
  readonly failures: { file: string; error: string }[];
}

/** Sweeps the tree of `o` (its units, or its shard's), reporting failures and the count on stderr. */
export async function sweep(o: CliOptions, extra: UnitExtra = {}, label = ''): Promise<Sweep> {
  const all = everyHeaderUnits(o);
  const jobs = shardOf(all, o.shard);
  const threads = o.jobs ?? availableParallelism();
  const results = await runAll(o, jobs, threads, progressBar(jobs.length, 'units'), extra);
  const { records, failures } = joinResults(results);
  for (const f of failures)
    process.stderr.write(`layoutof: error: ${label}${f.file}: does not compile, left out: ${f.error}\n`);
  const inputs = jobs.reduce((n, j) => n + j.files.length, 0);
  const compiled = results.reduce((n, r) => n + r.compiled, 0);
  const kind = o.compdb !== undefined ? 'entries' : 'headers';
  const shard = o.shard ? ` of ${all.length}, shard ${o.shard[0]}/${o.shard[1]}` : '';
  process.stderr.write(
    `layoutof: note: ${label}${records.length} records; ${inputs - failures.length} of ${inputs} ${kind} compile` +
      ` (${jobs.length} units${shard}, ${compiled} compiled)\n`,
  );
  const target = o.kernel !== undefined ? kernelTree(o.kernel, new NodeFileSystem()).target : defaultTarget(o);
  return { target: target.triple, records, failures };
}

export async function everyHeader(o: CliOptions): Promise<number> {
  if (o.diff) return everyHeaderDiff(o);
  if (o.file !== undefined)
    throw new UsageError("'--every-header' takes no FILE or NAME (the tree's headers are the input)");
  const extra: UnitExtra = o.packable ? { counts: packableCounts(o) } : {};
  if (o.packable && (o.counts ?? o.slabinfo) !== undefined && !extra.counts) return 1;
  const { target, records, failures } = await sweep(o, extra);
  const shard = o.shard ? { shard: `${o.shard[0]}/${o.shard[1]}` } : {};
  if (o.packable) process.stdout.write(renderTreePackable(records, o, target, failures, shard));
  else if (o.format === 'json')
    process.stdout.write(
      jsonDocument(
        { target, records: [], failures, ...shard },
        records.map((r) => r.out),
      ),
    );
  else {
    let text = '';
    for (let i = 0; i < records.length; i++) {
      text += (i > 0 ? '\n' : '') + records[i]!.out;
      if (text.length >= 1 << 16) {
        process.stdout.write(text);
        text = '';
      }
    }
    process.stdout.write(text);
  }
  return failures.length > 0 ? 1 : 0;
}
