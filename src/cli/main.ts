// The command line: argv → options → api → analyses → renderer → exit code. The only place (with the
// Node adapters beside it) that touches process, the terminal and node:fs.
// Exit codes: 0 success, 1 input errors (diagnostics printed, everything analysable still shown),
// 2 usage errors, 70 internal errors; --diff: 0 identical, 1 different, 2 trouble (diff.ts).

import { analyzeSource, type SourceResult } from '../api.js';
import { KernelTreeError } from '../kernel/kbuild.js';
import { CompDbError } from '../kernel/compdb.js';
import { analyzeBinary, isBinaryInput } from '../binary/index.js';
import { withSourceComments } from '../model/merge.js';
import { analyzeRecord, type RecordView } from '../analyze/layout-view.js';
import type { RecordType, TypeRef } from '../model/model.js';
import { typeName } from '../model/print.js';
import { usableOnly } from '../analyze/exact.js';
import { jsonDocument, recordJsonText } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { renderPicture } from '../render/html.js';
import { DEFAULT_TARGET, findTarget, targetAliases, TARGETS, type Target } from '../target/target.js';
import { NodeFileSystem } from './nodefs.js';
import { cacheableArgv, cacheEnabled, cacheKey, cacheStore } from './cache.js';
import { VERSION } from './version.js';
import { parseArgs, UsageError, type CliOptions, HELP } from './args.js';
import { preferQuickCompiles, primeSourcePath } from './prime.js';
import {
  bareName,
  buildContext,
  closest,
  kernelTreeHint,
  unreadable,
  nodeDecompress,
  unknownTarget,
  type BuildContext,
} from './context.js';
import { compareTargets } from './compare.js';
import { diffInputs, loadSide, DIFF_TROUBLE } from './diff.js';
import { runBindings, writeBinding, type InputHelpers } from './bindings.js';
import { failureDocument, Report } from './report.js';
import { memoryJson, memoryText } from './memory.js';
import { internalError } from './fail.js';
import { adviseRecords, wantsAdvice } from './advice.js';
import { explainHoles } from '../analyze/hole-cause.js';

import { byName } from './by-name.js';
import { isTrees, trees } from './merge.js';

/** Every command runs inside this handler: a usage error exits 2, a kernel tree or compilation
 *  database that cannot be used (wherever it is read) exits 1 with its message, and anything else is
 *  an internal error (fail.ts). */
export async function main(argv: string[]): Promise<number> {
  try {
    if (isTrees(argv)) return await trees(argv);
    return run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`layoutof: ${e.message}\nTry 'layoutof --help' for more information.\n`);
      return 2;
    }
    if (e instanceof KernelTreeError || e instanceof CompDbError) {
      process.stderr.write(`layoutof: error: ${e.message}\n`);
      return 1;
    }
    return internalError(e);
  }
}

function run(argv: string[]): number {
  try {
    return runQuery(argv);
  } catch (e) {
    // One JSON document per run, a usage error's too (the message itself goes to stderr from main).
    if (e instanceof UsageError && wantsJson(argv)) {
      const report = { severity: 'error', message: e.message, text: `layoutof: ${e.message}` };
      process.stdout.write(JSON.stringify({ diagnostics: [report] }, null, 2) + '\n');
    }
    throw e;
  }
}

/** --format json (or --json) among the arguments, however they parse. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some(
    (a, i) => a === '--json' || a === '--format=json' || ((a === '--format' || a === '-f') && argv[i + 1] === 'json'),
  );
}

function runQuery(argv: string[]): number {
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
    process.stdout.write(listTargets(o.format));
    return 0;
  }
  const named = byName(o, argv, new NodeFileSystem(), runQuery);
  if (named !== undefined) return named;
  if (!o.file) throw new UsageError('no input file');
  if (o.target && !findTarget(o.target)) throw new UsageError(unknownTarget(o.target));
  // (What a cached answer depends on is recorded as it is read: only when it may be cached.)
  const fs = new NodeFileSystem({ track: cacheEnabled(argv) });
  const report = new Report();
  const bound = runBindings(o, fs, bindingHelpers);
  if (bound !== undefined) return bound;
  if (o.compareTargets || o.diff) {
    const r = usableContext(o, report, () => (o.diff ? diffInputs(o, fs, report) : compareTargets(o, fs, report))) ?? {
      out: failureDocument(o, report),
      code: o.diff ? DIFF_TROUBLE : 1,
    };
    report.finish();
    process.stdout.write(r.out);
    return r.code;
  }
  // A binary's answer is cached too (keyed by argv and cwd, checked against the binary's contents):
  // a vmlinux or a large -g object is read again and again, and its full text is megabytes.
  if (fs.isFile(o.file) && isBinaryInput(fs.readHead(o.file)))
    return cached(argv, cacheEnabled(argv), fs, () => binaryInput(o, fs, report), true);
  const file = o.file;
  const ctx = usableContext(o, report, () => buildContext(o, fs));
  if (!ctx) {
    process.stdout.write(failureDocument(o, report));
    return 1;
  }
  const { target } = ctx;
  o.file = ctx.file;
  // Kernel and compile-database queries are cached (keyed by argv, cwd and every file read).
  return cached(argv, cacheableArgv(argv), fs, () => analyseAndPrint(o, file, ctx, target, report, fs), false);
}

/** --list-targets: a line per target, or in JSON an object per target with its other names. */
function listTargets(format: CliOptions['format']): string {
  const model = (t: Target): string => (t.ints.long.size === 8 ? 'LP64' : t.pointer.size === 8 ? 'LLP64' : 'ILP32');
  if (format === 'json') {
    const targets = TARGETS.map((t) => ({
      triple: t.triple,
      aliases: targetAliases(t.triple),
      dataModel: model(t),
      endian: t.endian,
      charSigned: t.charSigned,
      longDouble: t.floats.ldouble?.size ?? null,
      bitfields: t.bitfields,
    }));
    return JSON.stringify({ targets }, null, 2) + '\n';
  }
  const short = (t: Target): string =>
    targetAliases(t.triple)
      .filter((a) => !a.includes('-'))
      .join(', ');
  return TARGETS.map((t) => {
    const char = t.charSigned ? 'signed' : 'unsigned';
    const bitfields = t.bitfields === 'msvc' ? 'MSVC' : 'SysV';
    return (
      `${t.triple.padEnd(24)} ${model(t).padEnd(5)} ${t.endian}-endian, char ${char}, ` +
      `long double ${t.floats.ldouble?.size ?? '-'} bytes, ${bitfields} bitfields; also ${short(t)}\n`
    );
  }).join('');
}

/** `body()`, or undefined when the kernel tree or compilation database it reads cannot be used: an
 *  input error, reported with the way out. */
function usableContext<T>(o: CliOptions, report: Report, body: () => T): T | undefined {
  try {
    return body();
  } catch (e) {
    if (!(e instanceof KernelTreeError || e instanceof CompDbError)) throw e;
    report.tool('error', e instanceof KernelTreeError ? kernelTreeHint(o.kernel ?? '', e.message) : e.message);
    return undefined;
  }
}

/** Runs `body`, and when `cacheable` stores its output in the result cache with every file it read
 *  (and, for source, every path it found absent). The lookup was made before the engine was loaded
 *  (start.ts), so it is not repeated here. `okOnly`: store only a successful run (a binary's errors
 *  may come from files not tracked). */
function cached(
  argv: readonly string[],
  cacheable: boolean,
  fs: NodeFileSystem,
  body: () => number,
  okOnly: boolean,
): number {
  const captured = cacheable ? capture() : undefined;
  const code = body();
  if (captured) {
    const run = captured.stop();
    if (run && (!okOnly || code === 0)) cacheStore(cacheKey(argv, VERSION), { ...run, code }, fs, argv);
  }
  return code;
}

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

function analyseAndPrint(
  o: CliOptions,
  given: string,
  ctx: BuildContext,
  target: Target,
  report: Report,
  fs: NodeFileSystem,
): number {
  const file = ctx.file;
  const why = unreadable(fs, ctx, given);
  if (why) {
    report.tool('error', why, given);
    return output([], o, target, 1, report);
  }
  const progress = process.stderr.isTTY ? (s: string) => process.stderr.write(`\r\x1b[2K${s}`) : undefined;
  progress?.(`layoutof: reading ${file}...`);
  // One translation unit: over before V8's optimising compiler catches up (see prime.ts). A kernel
  // unit or a project's unit is large enough for priming to pay too.
  preferQuickCompiles('source');
  if ((o.kernel !== undefined || o.compdb !== undefined) && process.env.LAYOUTOF_PRIME !== '0') primeSourcePath(target);
  let res = analyzeSource(file, o.functionBodies ? { ...ctx.options, functionBodies: true } : ctx.options);
  let selected = select(res, o);
  if (selected.unknown.length > 0 && !o.functionBodies) {
    // A NAME not at file scope may be a record defined in a function: read again with the bodies.
    const again = analyzeSource(file, { ...ctx.options, functionBodies: true });
    const more = select(again, o);
    if (more.unknown.length < selected.unknown.length) [res, selected] = [again, more];
  }
  progress?.('');
  if (progress) process.stderr.write('\r\x1b[2K');
  report.analysis(res, ctx.options);
  for (const m of selected.unknown) report.tool('error', m);
  // An empty translation unit is valid C (gcc only warns under -pedantic): a note, and success.
  if (selected.records.length === 0 && o.names.length === 0 && res.diagnostics.errors === 0) {
    report.tool('note', `no struct or union defined in ${given}${o.all ? ' or the headers it includes' : ''}`);
  }
  const failed =
    res.diagnostics.errors > 0 || selected.unknown.length > 0 || selected.records.some((r) => r.incomplete);
  return output(selected.records, o, target, failed ? 1 : 0, report);
}

/** FILE is compiled type info: DWARF or BTF (raw, or an ELF's .BTF section). */
function binaryInput(o: CliOptions, fs: NodeFileSystem, report: Report): number {
  const target = findTarget(o.target ?? '') ?? DEFAULT_TARGET;
  preferQuickCompiles('binary');
  const bytes = fs.openBytes(o.file!);
  if (!bytes) {
    report.tool('error', fs.readError(o.file!) ?? 'cannot read', o.file);
    return output([], o, target, 1, report);
  }
  let basePath = o.btfBase;
  if (!basePath && /^\/sys\/kernel\/btf\/(?!vmlinux$)[^/]+$/.test(o.file!)) basePath = '/sys/kernel/btf/vmlinux';
  const btfBase = basePath ? fs.openBytes(basePath) : undefined;
  if (basePath && !btfBase) {
    report.tool('error', `cannot read the base BTF: ${fs.readError(basePath) ?? 'cannot read'}`, basePath);
    return output([], o, target, 1, report);
  }
  // Named records only, when names are given (BTF builds no others); all of them again when a name
  // is missing, for the suggestions.
  const bare = o.names.map(bareName);
  let res = analyzeBinary(bytes, {
    path: o.file!,
    preferBtf: o.btf,
    btfBase,
    btfBasePath: basePath,
    decompress: nodeDecompress,
    names: bare,
  });
  if (res.format === 'btf' && bare.some((n) => !res.records.some((r) => r.name === n)))
    res = analyzeBinary(bytes, {
      path: o.file!,
      preferBtf: o.btf,
      btfBase,
      btfBasePath: basePath,
      decompress: nodeDecompress,
    });
  for (const d of res.diagnostics.list) report.binary(d);
  let errors = res.diagnostics.errors;
  let records = res.records;
  if (o.source) {
    const src = sourceComments(o, o.source, fs, report);
    if (src.records) records = withSourceComments(records, src.records);
    if (src.failed) errors++;
  }
  // A typedef name finds its record too (DWARF's `typedef struct {...} anon_t`, as pahole -C).
  const typedefs = res.typedefs;
  const found: Found = {
    records,
    mainRecords: records,
    typedefs,
    find: (n) => records.find((r) => r.name === n) ?? records.find((r) => r.typedef === n) ?? typedefs.get(n),
  };
  const selected = select(found, { ...o, all: true });
  for (const m of selected.unknown) report.tool('error', m);
  const failed = errors > 0 || selected.unknown.length > 0 || selected.records.some((r) => r.incomplete);
  return output(selected.records, o, target, failed ? 1 : 0, report);
}

/** --source: the records of the source a binary's comments come from, if it could be read, and
 *  whether it had errors (they make the run's status 1). */
function sourceComments(
  o: CliOptions,
  source: string,
  fs: NodeFileSystem,
  report: Report,
): { records?: readonly RecordType[]; failed: boolean } {
  const ctx = usableContext(o, report, () => buildContext({ ...o, file: source }, fs));
  if (!ctx) return { failed: true };
  const why = unreadable(fs, ctx, source);
  if (why) {
    report.tool('error', why, source);
    return { failed: true };
  }
  const src = analyzeSource(ctx.file, ctx.options);
  const records = src.records; // (laid out first: that may report errors too)
  report.analysis(src, ctx.options);
  return { records, failed: src.diagnostics.errors > 0 };
}

/** What bindings.ts borrows: the build context, NAME selection (unknown NAMEs reported at once) and
 *  any input's records (source or binary, its diagnostics on stderr). */
const bindingHelpers: InputHelpers = {
  buildContext,
  select(res, o) {
    const picked = select(res, o);
    for (const m of picked.unknown) process.stderr.write(`layoutof: error: ${m}\n`);
    return picked.unknown.length ? undefined : picked.records;
  },
  loadRecords(o, file, fs) {
    const report = new Report();
    const side = loadSide(o, file, fs, report);
    report.finish();
    return side?.records;
  },
};

/** What `select` looks records up in: a source analysis, or a binary's records. */
export type Found = Pick<SourceResult, 'records' | 'mainRecords' | 'typedefs' | 'find'> &
  Partial<Pick<SourceResult, 'typedefOf'>>;

/** Records to show: named ones, else FILE's own (or all with --all); `unknown`: a message (with the
 *  closest names) for each NAME not found, to report after the analysis's own diagnostics, which
 *  finding records adds to (records are laid out when first asked for). */
function select(res: Found, o: CliOptions): { records: RecordType[]; unknown: string[] } {
  if (o.names.length === 0)
    return {
      records: [...(o.all ? res.records : res.mainRecords)].filter(
        (r) => r.name !== null || r.typedef !== undefined || r.variable !== undefined,
      ),
      unknown: [],
    };
  const out: RecordType[] = [];
  const unknown: string[] = [];
  for (const n of o.names) {
    const bare = bareName(n);
    const r = res.find(bare);
    if (r?.scope !== undefined && !bare.includes('::'))
      // Records of that name in function bodies: each one (`f::name` picks one).
      out.push(...res.records.filter((x) => x.scope !== undefined && (x.name ?? x.typedef) === bare));
    else if (r) out.push(r);
    if (r) continue;
    // A typedef of something else (a pointer, an int): said so, with the record it leads to.
    const t = bare.includes('::') ? undefined : res.typedefOf?.(bare);
    if (t) {
      const to = recordBehind(t);
      unknown.push(
        `'${n}' is a typedef of '${typeName(t)}', not of a struct or union` + (to ? `; ask for '${to}'` : ''),
      );
      continue;
    }
    const all = [...res.records.flatMap((x) => (x.name !== null ? [x.name] : [])), ...res.typedefs.keys()];
    const close = closest(bare, all);
    unknown.push(
      `no struct, union or typedef named '${n}'` +
        (close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : ''),
    );
  }
  return { records: out, unknown };
}

/** The name of the record a type reaches through pointers, arrays, qualifiers and typedefs. */
function recordBehind(t: TypeRef): string | undefined {
  for (let k = 0; k < 64; k++) {
    if (t.kind === 'record') return t.record.name ?? t.record.typedef;
    if (t.kind === 'pointer' || t.kind === 'typedef') t = t.to;
    else if (t.kind === 'array' || t.kind === 'qualified') t = t.of;
    else return undefined;
  }
  return undefined;
}

function output(records: RecordType[], o: CliOptions, target: Target, code: number, report: Report): number {
  // Bindings, advice and pictures compute in numbers: they refuse a record past 2^50 bytes (exact.ts),
  // which is reported, located, while the others go on; --packable only notes it as not analysable.
  // Code for a record an error left incomplete would be wrong past the error: bindings refuse it too.
  const numeric = o.binding
    ? 'a binding'
    : wantsAdvice(o)
      ? 'the advice'
      : o.format === 'svg' || o.format === 'html'
        ? 'the picture'
        : undefined;
  if (numeric) {
    const { records: usable, refused } = usableOnly(records, o.packable ? '--packable' : numeric, !!o.binding);
    for (const e of refused)
      report.tool(o.packable ? 'warning' : 'error', e.message + (o.packable ? ': not analysable' : ''));
    if (refused.length && !o.packable) code = 1;
    records = usable;
  }
  if (o.binding) {
    report.finish();
    return writeBinding(records, o, target, code);
  }
  if (wantsAdvice(o)) {
    report.finish();
    return adviseRecords(records, o, target, code);
  }
  const cacheline = o.cacheline ?? target.cacheline;
  const view = (r: RecordType) => analyzeRecord(r, cacheline, { expand: o.expand && o.format !== 'json' });
  const color =
    o.format === 'text' &&
    (o.color === 'always' || (o.color === 'auto' && !!process.stdout.isTTY && !process.env.NO_COLOR));
  if (o.format === 'json') {
    // One document: the records, what --count costs, and every diagnostic of the run.
    const memory = o.count !== undefined ? { memory: records.map((r) => memoryJson(r, o)) } : {};
    // A record at a time (its view, causes and JSON objects dropped before the next: with --all, a
    // unit's 2,000 records' objects were all held until one stringify), written once at the end, so
    // that stdout holds a whole document or nothing (an internal error exits 70 before any of it).
    const texts = records.map((r) => {
      const v = view(r);
      return recordJsonText(v, explainHoles(v, target.bitfields), o.expand);
    });
    const text = jsonDocument({ target: target.triple, records: [], ...memory, ...report.json() }, texts);
    process.stdout.write(text);
    return code;
  }
  if (o.format === 'svg' || o.format === 'html') {
    const views = records.map(view);
    const causes = o.format === 'html' ? views.map((v) => explainHoles(v, target.bitfields)) : undefined;
    process.stdout.write(
      renderPicture(o.format, views, { rowBytes: o.rowBytes, expand: o.expand, target: target.triple, causes }),
    );
    report.finish();
    return code;
  }
  report.finish();
  // Text and markdown are written a record at a time (a whole vmlinux is 6 MB of text): what is
  // written can be collected at once instead of living until the end.
  // Each hole's cause in its note, unless pahole's own text is asked for.
  const why = (v: RecordView) => (o.pahole ? undefined : [explainHoles(v, target.bitfields)]);
  const render = (v: RecordView): string =>
    o.format === 'markdown'
      ? renderMarkdown([v], { causes: why(v) })
      : renderText([v], { comments: o.comments, color, causes: why(v) });
  let text = '';
  for (let i = 0; i < records.length; i++) {
    text += (i > 0 ? '\n' : '') + render(view(records[i]!));
    if (text.length >= 1 << 16) {
      process.stdout.write(text);
      text = '';
    }
  }
  if (o.count !== undefined) text += memoryText(records, o);
  process.stdout.write(text);
  return code;
}
