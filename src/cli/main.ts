// The command line: argv → options → api → analyses → renderer → exit code. The only place (with the
// Node adapters beside it) that touches process, the terminal and node:fs.
// Exit codes: 0 success, 1 input errors (diagnostics printed, everything analysable still shown),
// 2 usage errors, 70 internal errors.

import { closeSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { analyzeSource, type IncludePaths, type SourceOptions, type SourceResult } from '../api.js';
import { kernelSourceOptions, kernelTree, KernelTreeError, resolveKernelFile } from '../kernel/kbuild.js';
import { compileFlagsFor, CompDbError } from '../kernel/compdb.js';
import { analyzeBinary, isBinaryInput } from '../binary/index.js';
import { withSourceComments } from '../model/merge.js';
import { analyzeRecord, estimateMemory, type RecordView } from '../analyze/layout-view.js';
import { formatDiagnostic } from '../core/diag.js';
import { recordOf, type Member, type Record } from '../model/model.js';
import { renderJson } from '../render/json.js';
import { renderComparison } from '../render/compare.js';
import { renderDiff } from '../render/diff.js';
import { diffLayouts } from '../analyze/diff.js';
import { compareAcrossTargets } from '../analyze/compare.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { DEFAULT_TARGET, findTarget, TARGETS, type Target } from '../target/target.js';
import { NodeFileSystem } from './nodefs.js';
import { cacheableArgv, cacheEnabled, cacheKey, cacheStore } from './cache.js';
import { VERSION } from './version.js';
import { systemIncludeDirs } from './sysinc.js';
import { parseArgs, UsageError, type CliOptions, HELP } from './args.js';
import { preferQuickCompiles, primeSourcePath } from './prime.js';
import { adviseAcrossTargets, adviseRecords, wantsAdvice } from './advice.js';
import { explainHoles } from '../analyze/hole-cause.js';


export async function main(argv: string[]): Promise<number> {
  try {
    return run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`layoutof: ${e.message}\nTry 'layoutof --help' for more information.\n`);
      return 2;
    }
    process.stderr.write(`layoutof: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    return 70;
  }
}

function run(argv: string[]): number {
  const o = parseArgs(argv);
  if (o.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (o.version) {
    process.stdout.write(`layoutof ${VERSION}\n`);
    return 0;
  }
  if (o.listTargets) {
    process.stdout.write(TARGETS.map((t) => `${t.triple.padEnd(24)} ${t.ints.long.size * 8 === 64 ? 'LP64 ' : t.pointer.size === 8 ? 'LLP64' : 'ILP32'} ${t.endian}-endian, char ${t.charSigned ? 'signed' : 'unsigned'}, long double ${t.floats.ldouble?.size ?? '-'} bytes, ${t.bitfields === 'msvc' ? 'MSVC' : 'SysV'} bitfields\n`).join(''));
    return 0;
  }
  if (!o.file) throw new UsageError('no input file');
  const fs = new NodeFileSystem();
  if (o.compareTargets) return compareTargets(o, fs);
  if (o.diff) return diffInputs(o, fs);
  // A binary's answer is cached too (keyed by argv and cwd, checked against the binary's contents):
  // a vmlinux or a large -g object is read again and again, and its full text is megabytes.
  if (fs.isFile(o.file) && isBinaryInput(readHead(o.file))) return cached(argv, cacheEnabled(argv), fs, () => binaryInput(o, fs), true);
  let ctx: BuildContext;
  try {
    ctx = buildContext(o, fs);
  } catch (e) {
    if (e instanceof KernelTreeError || e instanceof CompDbError) {
      process.stderr.write(`layoutof: error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const { target } = ctx;
  o.file = ctx.file;
  // Kernel and compile-database queries are cached (keyed by argv, cwd and every file read).
  return cached(argv, cacheableArgv(argv), fs, () => analyseAndPrint(o, ctx, target), false);
}

/** Runs `body`, and when `cacheable` stores its output in the result cache with every file it read
 *  (and, for source, every path it found absent). The lookup was made before the engine was loaded
 *  (start.ts), so it is not repeated here. `okOnly`: store only a successful run (a binary's errors
 *  may come from files not tracked). */
function cached(argv: readonly string[], cacheable: boolean, fs: NodeFileSystem, body: () => number, okOnly: boolean): number {
  const captured = cacheable ? capture() : undefined;
  const code = body();
  if (captured) {
    const run = captured.stop();
    if (run && (!okOnly || code === 0)) cacheStore(cacheKey(argv, VERSION), { ...run, code }, fs.read, fs.absent(), argv);
  }
  return code;
}

/** NAME without a leading `struct ` or `union `. */
const bareName = (n: string): string => n.replace(/^(struct|union)\s+/, '');

/** Output larger than this is not kept (the tee would double the memory of a huge dump). */
const MAX_CACHED_OUTPUT = 1 << 26;

/** Tees stdout and stderr while a query runs, for the result cache; stop() gives undefined when the
 *  output grew past MAX_CACHED_OUTPUT. */
function capture(): { stop(): { stdout: string; stderr: string } | undefined } {
  let out: string[] = [];
  const err: string[] = [];
  let size = 0;
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const keep = (to: string[], s: unknown): void => {
    const t = String(s);
    size += t.length;
    if (size > MAX_CACHED_OUTPUT) out = [];
    else to.push(t);
  };
  process.stdout.write = ((s: string) => (keep(out, s), ow(s))) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (keep(err, s), ew(s))) as typeof process.stderr.write;
  return {
    stop() {
      process.stdout.write = ow;
      process.stderr.write = ew;
      return size > MAX_CACHED_OUTPUT ? undefined : { stdout: out.join(''), stderr: err.join('') };
    },
  };
}

function analyseAndPrint(o: CliOptions, ctx: BuildContext, target: Target): number {
  const file = ctx.file;
  if (!ctx.options.fs.isFile(file)) {
    process.stderr.write(`layoutof: ${file}: No such file or directory\n`);
    return 1;
  }
  const progress = process.stderr.isTTY ? (s: string) => process.stderr.write(`\r\x1b[2K${s}`) : undefined;
  progress?.(`layoutof: reading ${file}...`);
  // One translation unit: over before V8's optimising compiler catches up (see prime.ts). A kernel
  // unit or a project's unit is large enough for priming to pay too.
  preferQuickCompiles();
  if ((o.kernel !== undefined || o.compdb !== undefined) && process.env.LAYOUTOF_PRIME !== '0') primeSourcePath(target);
  const res = analyzeSource(file, ctx.options);
  progress?.('');
  if (progress) process.stderr.write('\r\x1b[2K');
  for (const d of res.diagnostics.list) process.stderr.write(formatDiagnostic(d, res.sources) + '\n');
  const selected = select(res, o, target);
  if (selected === undefined) return 1;
  return output(selected, o, target, res.diagnostics.errors > 0 ? 1 : 0);
}

interface BuildContext {
  readonly target: Target;
  readonly file: string;
  readonly options: SourceOptions;
}

/** Target, include paths and macros from the command line, a kernel tree (--kernel) or a compilation
 *  database (-p); command-line -I/-D/-include add to either. */
function buildContext(o: CliOptions, fs: NodeFileSystem): BuildContext {
  const cli: IncludePaths = { quote: o.iquote, angled: o.I, system: o.isystem, builtin: [], after: o.idirafter };
  const merge = (a: IncludePaths, b: IncludePaths): IncludePaths => ({
    quote: [...b.quote, ...a.quote], angled: [...b.angled, ...a.angled], system: [...b.system, ...a.system], builtin: a.builtin, after: [...a.after, ...b.after],
  });
  const sysdirs = (t: Target): string[] => systemIncludeDirs(t.triple === DEFAULT_TARGET.triple ? undefined : t.triple) ?? [];
  if (o.kernel) {
    const tree = kernelTree(o.kernel, fs);
    if (o.target && findTarget(o.target) !== tree.target) throw new UsageError(`--target ${o.target} conflicts with the kernel tree's architecture (${tree.target.triple})`);
    const file = resolveKernelFile(tree, o.file!, fs) ?? o.file!;
    const base = kernelSourceOptions(tree, fs);
    return { target: tree.target, file, options: { ...base, include: merge(base.include, cli), macros: [...base.macros, ...o.macros], forcedIncludes: [...base.forcedIncludes, ...o.include] } };
  }
  if (o.compdb) {
    const cf = compileFlagsFor(o.compdb, o.file!, fs, process.cwd());
    const target = (o.target ? findTarget(o.target) : cf.target ? findTarget(cf.target) : DEFAULT_TARGET) ?? DEFAULT_TARGET;
    const nostdinc = cf.nostdinc || o.nostdinc;
    const include = merge({ ...cf.include, builtin: nostdinc ? [] : sysdirs(target) }, cli);
    return { target, file: cf.file, options: { fs, target, include, macros: [...cf.macros, ...o.macros], forcedIncludes: [...cf.forcedIncludes, ...o.include], nostdinc } };
  }
  const target = o.target ? findTarget(o.target) : DEFAULT_TARGET;
  if (!target) throw new UsageError(`unknown target '${o.target}' (see --list-targets)`);
  const include = { ...cli, builtin: o.nostdinc ? [] : sysdirs(target) };
  return { target, file: o.file!, options: { fs, target, include, macros: o.macros, forcedIncludes: o.include, nostdinc: o.nostdinc } };
}

/** Records of one input, source or binary, with the command line's context; undefined after errors
 *  that leave nothing to compare. */
function loadRecords(o: CliOptions, file: string, fs: NodeFileSystem): readonly Record[] | undefined {
  if (!fs.isFile(file)) {
    process.stderr.write(`layoutof: ${file}: No such file or directory\n`);
    return undefined;
  }
  if (isBinaryInput(readHead(file))) {
    const res = analyzeBinary(fs.readBytes(file)!, { path: file, preferBtf: o.btf, decompress: nodeDecompress, btfBase: o.btfBase ? fs.readBytes(o.btfBase) : undefined });
    for (const d of res.diagnostics.list) process.stderr.write(`${d.where ? d.where + ': ' : ''}${d.severity}: ${d.message}\n`);
    return res.records;
  }
  const ctx = buildContext({ ...o, file }, fs);
  const res = analyzeSource(ctx.file, ctx.options);
  for (const d of res.diagnostics.list) process.stderr.write(formatDiagnostic(d, res.sources) + '\n');
  return [...res.records, ...[...res.typedefs].filter(([, r]) => r.name === null).map(([n, r]) => ({ ...r, typedef: n }))];
}

function diffInputs(o: CliOptions, fs: NodeFileSystem): number {
  const [a, b] = o.diff!;
  const ra = loadRecords(o, a, fs);
  const rb = loadRecords(o, b, fs);
  if (!ra || !rb) return 1;
  const bare = o.names.map(bareName);
  const pick = (rs: readonly Record[]) => (bare.length === 0 ? rs : rs.filter((r) => bare.includes(r.name ?? r.typedef ?? '')));
  const known = new Set([...ra, ...rb].map((r) => r.name ?? r.typedef ?? '').filter(Boolean));
  let bad = false;
  for (const n of bare) {
    if (known.has(n)) continue;
    bad = true;
    const close = closest(n, known);
    process.stderr.write(`layoutof: error: no struct, union or typedef named '${n}' in either input${close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : ''}\n`);
  }
  if (bad) return 1;
  process.stdout.write(renderDiff(diffLayouts(pick(ra), pick(rb), o.cacheline ?? 64), a, b, o.format));
  return 0;
}

/** --compare-targets: the same source laid out for each target (each with its own system headers). */
function compareTargets(o: CliOptions, fs: NodeFileSystem): number {
  if (o.names.length === 0) throw new UsageError('--compare-targets needs the NAME of a record');
  const targets = o.compareTargets!.map((n) => {
    const t = findTarget(n);
    if (!t) throw new UsageError(`unknown target '${n}' (see --list-targets)`);
    return t;
  });
  let code = 0;
  const results = targets.map((target) => {
    const ctx = buildContext({ ...o, target: target.triple }, fs);
    const res = analyzeSource(ctx.file, ctx.options);
    for (const d of res.diagnostics.list) process.stderr.write(`[${target.triple}] ${formatDiagnostic(d, res.sources)}\n`);
    if (res.diagnostics.errors) code = 1;
    return res;
  });
  if (wantsAdvice(o)) {
    return adviseAcrossTargets(o.names, results.map((res) => o.names.map((n) => res.find(bareName(n)))), targets, o) || code;
  }
  let out = '';
  for (const n of o.names) {
    const bare = bareName(n);
    const recs = results.map((res) => res.find(bare));
    if (recs.every((r) => r === undefined)) {
      process.stderr.write(`layoutof: error: no struct, union or typedef named '${n}'\n`);
      code = 1;
      continue;
    }
    out += renderComparison(n, compareAcrossTargets(targets.map((t) => t.triple), recs), o.format);
  }
  process.stdout.write(out);
  return code;
}

/** The first 8 bytes (the magic numbers), without reading the whole file. */
function readHead(path: string): Uint8Array {
  const head = new Uint8Array(8);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return head.subarray(0, readSync(fd, head, 0, 8, 0));
  } catch {
    return new Uint8Array();
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function nodeDecompress(kind: 'zlib' | 'zstd', data: Uint8Array, size: number): Uint8Array {
  // Never more than the section header says (a zlib bomb stops there); +1 so that "more" is seen.
  if (kind === 'zlib') {
    try {
      return new Uint8Array(inflateSync(data, { maxOutputLength: Math.max(1, size + 1) }));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`more than the ${size} bytes its header says`);
      throw e;
    }
  }
  throw new Error(`no ${kind} decompressor here`); // (zstd is decompressed by the engine itself)
}

/** FILE is compiled type info: DWARF or BTF (raw, or an ELF's .BTF section). */
function binaryInput(o: CliOptions, fs: NodeFileSystem): number {
  const bytes = fs.readBytes(o.file!);
  if (!bytes) {
    process.stderr.write(`layoutof: ${o.file}: cannot read\n`);
    return 1;
  }
  let basePath = o.btfBase;
  if (!basePath && /^\/sys\/kernel\/btf\/(?!vmlinux$)[^/]+$/.test(o.file!)) basePath = '/sys/kernel/btf/vmlinux';
  const btfBase = basePath ? fs.readBytes(basePath) : undefined;
  if (basePath && !btfBase) {
    process.stderr.write(`layoutof: ${basePath}: cannot read the base BTF\n`);
    return 1;
  }
  // Named records only, when names are given (BTF builds no others); all of them again when a name
  // is missing, for the suggestions.
  const bare = o.names.map(bareName);
  let res = analyzeBinary(bytes, { path: o.file!, preferBtf: o.btf, btfBase, decompress: nodeDecompress, names: bare });
  if (res.format === 'btf' && bare.some((n) => !res.records.some((r) => r.name === n))) res = analyzeBinary(bytes, { path: o.file!, preferBtf: o.btf, btfBase, decompress: nodeDecompress });
  for (const d of res.diagnostics.list) process.stderr.write(`${d.where ? d.where + ': ' : ''}${d.severity}: ${d.message}\n`);
  let records = res.records;
  if (o.source) {
    const ctx = buildContext({ ...o, file: o.source }, fs);
    const src = analyzeSource(ctx.file, ctx.options);
    for (const d of src.diagnostics.list) process.stderr.write(formatDiagnostic(d, src.sources) + '\n');
    records = withSourceComments(records, src.records);
  }
  const target = findTarget(o.target ?? '') ?? DEFAULT_TARGET;
  const found: Found = { records, mainRecords: records, typedefs: new Map(), find: (n) => records.find((r) => r.name === n) };
  const selected = select(found, { ...o, all: true }, target);
  if (selected === undefined) return 1;
  return output(selected, o, target, res.diagnostics.errors > 0 ? 1 : 0);
}

/** Records to show: named ones, else FILE's own (or all with --all). Undefined after an unknown NAME. */
/** What `select` looks records up in: a source analysis, or a binary's records. */
type Found = Pick<SourceResult, 'records' | 'mainRecords' | 'typedefs' | 'find'>;

function select(res: Found, o: CliOptions, target: Target): Record[] | undefined {
  void target;
  if (o.names.length === 0) return [...(o.all ? res.records : res.mainRecords)].filter((r) => r.name !== null || r.typedef !== undefined);
  const out: Record[] = [];
  let bad = false;
  for (const n of o.names) {
    const bare = bareName(n);
    const r = res.find(bare);
    if (r) {
      out.push(r);
      continue;
    }
    bad = true;
    const all = [...res.records.flatMap((x) => (x.name !== null ? [x.name] : [])), ...res.typedefs.keys()];
    const close = closest(bare, all);
    process.stderr.write(`layoutof: error: no struct, union or typedef named '${n}'${close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : ''}\n`);
  }
  if (bad) return undefined;
  return out;
}

function output(records: Record[], o: CliOptions, target: Target, code: number): number {
  if (wantsAdvice(o)) return adviseRecords(records, o, target, code);
  const cacheline = o.cacheline ?? target.cacheline;
  const view = (r: Record) => analyzeRecord(r, cacheline, { expand: o.expand && o.format !== 'json' });
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR && o.format === 'text';
  if (o.format === 'json') {
    const views = records.map(view);
    const causes = views.map((v) => explainHoles(v, target.bitfields));
    process.stdout.write(renderJson(target.triple, views, { expand: o.expand, causes }) + (o.count !== undefined ? memoryReport(records, o) : ''));
    return code;
  }
  // Text and markdown are written a record at a time (a whole vmlinux is 6 MB of text): what is
  // written can be collected at once instead of living until the end.
  const render = (v: RecordView): string => (o.format === 'markdown' ? renderMarkdown([v]) : renderText([v], { comments: o.comments, color }));
  let text = '';
  for (let i = 0; i < records.length; i++) {
    text += (i > 0 ? '\n' : '') + render(view(records[i]!));
    if (text.length >= 1 << 16) {
      process.stdout.write(text);
      text = '';
    }
  }
  if (o.count !== undefined) text += memoryReport(records, o);
  process.stdout.write(text);
  return code;
}

function memoryReport(records: Record[], o: CliOptions): string {
  let s = '';
  for (const r of records) {
    const e = estimateMemory(r, o.count!, o.objectAlign ?? 1, o.hashBuckets ?? 0, o.bucketSize ?? 8);
    const name = r.name !== null ? `${r.kind} ${r.name}` : r.typedef ?? r.kind;
    s += `\n${name}: ${fmtCount(e.count)} objects × ${e.perObject} bytes`;
    if (e.perObject !== e.objectSize) s += ` (${e.objectSize} rounded up to ${o.objectAlign})`;
    s += ` = ${fmtBytes(e.objects)}\n`;
    if (e.table) s += `  hash table: ${fmtCount(o.hashBuckets!)} buckets × ${o.bucketSize ?? 8} bytes = ${fmtBytes(e.table)}\n  total: ${fmtBytes(e.total)}\n`;
  }
  return s;
}

function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtBytes(n: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = '';
  for (const x of units) {
    if (v < 1024) break;
    v /= 1024;
    u = x;
  }
  return u ? `${fmtCount(n)} bytes (${v.toFixed(1)} ${u})` : `${fmtCount(n)} bytes`;
}

/** Names within a small edit distance, best first. */
export function closest(name: string, candidates: Iterable<string>): string[] {
  const scored: [number, string][] = [];
  for (const c of new Set(candidates)) {
    const d = editDistance(name, c);
    if (d <= Math.max(2, Math.floor(name.length / 3))) scored.push([d, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, 3).map((x) => x[1]);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return 99;
  const prev = new Array(b.length + 1).fill(0).map((_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
