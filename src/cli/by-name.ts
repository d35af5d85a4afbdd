// A record by name alone: `layoutof --kernel DIR NAME`, `-p DB NAME`, `-I DIR NAME` with no FILE.
// The tree's headers are indexed by a text scan (kernel/index-scan.ts), kept on disk with each
// file's and directory's identity and rescanned only where one changed (name-index.ts); the
// query is then rewritten into the smallest unit that defines the names and run as if typed.

import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Definition } from '../kernel/index-scan.js';
import { kernelTree, KernelTreeError } from '../kernel/kbuild.js';
import { CompDbError, parseCompilerArgs, splitCommand } from '../kernel/compdb.js';
import { cacheEnabled, cacheKey, cacheLookup } from './cache.js';
import { progressBar } from './progress.js';
import { IncludeReach, type ReachEntry } from './compdb-reach.js';
import { headersUnder, openIndex, treeDefs, type DirMemo, type TreeList } from './name-index.js';
import { smallUnitTiers } from './start.js';
import { VERSION } from './version.js';
import { findTarget } from '../target/target.js';
import { closest, defaultTarget, includeDirs, kernelTreeHint } from './context.js';
import { failureDocument, Report } from './report.js';
import { parseArgs, type CliOptions } from './args.js';
import type { NodeFileSystem } from './nodefs.js';

/** A definition found in the tree, with its file. */
export interface Site extends Definition {
  readonly file: string;
}

export { headersUnder };

const IDENT = /^(?:(?:struct|union)\s+)?[A-Za-z_]\w*$/;

/** The operands of a query that are record names (FILE omitted), or undefined when FILE is a file. */
export function nameOperands(o: CliOptions, fs: NodeFileSystem): string[] | undefined {
  if (o.diff || o.compareTargets || o.file === undefined) return undefined;
  if (o.kernel === undefined && o.compdb === undefined && o.I.length === 0) return undefined;
  if (!IDENT.test(o.file) || fs.isFile(o.file) || fs.isDirectory(o.file)) return undefined;
  // `struct NAME` as two words: the keyword is not a name.
  const words = [o.file, ...o.names];
  const names: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if ((w === 'struct' || w === 'union') && i + 1 < words.length) continue;
    if (!IDENT.test(w)) return undefined;
    names.push(w.replace(/^(struct|union)\s+/, ''));
  }
  return names;
}

/** The indices of argv's operands (what parseArgs puts in FILE and NAMEs), as parseArgs found them:
 *  no second list of which options take a value. */
function operandSlots(argv: readonly string[]): number[] {
  return parseArgs([...argv]).operandSlots;
}

/** A path as the user reads it: relative to `base` when under it, else whole (no `../../usr`). */
function shown(file: string, base?: string): string {
  const rel = base ? relative(base, file) : file;
  return rel.startsWith('../') ? file : rel;
}

export function siteText(s: Site, base?: string): string {
  const where = `${shown(s.file, base)}:${s.line}`;
  return (
    `${s.kind === 'typedef' ? 'typedef' : s.kind} ${s.name} at ` +
    `${where}${s.conditions.length ? ` (#if ${s.conditions.join(' && ')})` : ''}`
  );
}

// ---- the query ------------------------------------------------------------------------------------

/** The files a query's index covers, and how a unit is made from the header that defines the names. */
export interface Tree extends TreeList {
  readonly base: string;
  /** What the tree is (its directories, or its database): names its index. */
  readonly roots: readonly string[];
  /** The rewritten operands: forced includes and FILE; undefined (and `why`) when no unit includes it. */
  unit(headers: readonly string[]): { args: string[] } | { why: string };
}

const KERNEL_SKIP = new Set(['dt-bindings']);

/** The kernel tree `dir`'s index: what names it, and how its files are found (exported for the
 *  benchmark, which times the check on its own). */
export function kernelIndexTree(dir: string, fs: NodeFileSystem): Tree {
  const tree = kernelTree(dir, fs);
  // The architecture's first (as in kbuild's include path), uapi copies last: the kernel's own
  // header (which includes its uapi half) is the one to name.
  const arch = join(tree.srcTree, 'arch') + '/';
  const rank = (f: string): number =>
    f.includes('/uapi/') ? 3 : f.includes('/asm-generic/') ? 2 : f.startsWith(arch) ? 0 : 1;
  const module = join(tree.srcTree, 'include/linux/module.h');
  const dirs = [join(tree.srcTree, 'include'), join(tree.srcTree, 'arch', tree.srcArch, 'include')] as const;
  return {
    files: (memo) => {
      const fs = [...headersUnder(dirs[0], KERNEL_SKIP, memo), ...headersUnder(dirs[1], undefined, memo)];
      // (Each file's rank once, not at each comparison: the sort is stable.)
      const ranks = new Map(fs.map((f) => [f, rank(f)]));
      return fs.sort((a, b) => ranks.get(a)! - ranks.get(b)!);
    },
    list: JSON.stringify(['kernel: arch, other, asm-generic, uapi', ...dirs, ...KERNEL_SKIP]),
    roots: [tree.objTree, tree.srcTree],
    base: tree.srcTree,
    unit: (hs) => ({
      args: ['-include', module, ...hs.slice(0, -1).flatMap((h) => ['-include', h]), hs[hs.length - 1]!],
    }),
  };
}

/** The headers under `dirs`, those with the shortest include name first (`<zlib.h>` before
 *  `<node/zlib.h>`), then in the directories' search order: a name defined in both is analysed
 *  where a plain `#include` of its header's name would find it. Headers in another target's
 *  multiarch directory (`aarch64-linux-gnu/` under /usr/include, for an x86_64 query) come last:
 *  no #include of this target's reaches them. */
function byIncludeDepth(dirs: readonly string[], memo: DirMemo, triple: string): string[] {
  const files: string[] = [];
  const ranks: number[] = [];
  for (const d of dirs) {
    const root = d === '/' ? 1 : d.length + 1;
    for (const f of headersUnder(d, undefined, memo)) {
      files.push(f);
      const parts = f.slice(root).split('/');
      const foreign = parts.some((p, k) => k < parts.length - 1 && isOtherMultiarch(p, triple));
      ranks.push((foreign ? 1 << 16 : 0) + parts.length);
    }
  }
  const order = files.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]! || a - b);
  return order.map((i) => files[i]!);
}

/** Whether a directory name is the multiarch directory of a target other than `triple`'s. */
function isOtherMultiarch(dir: string, triple: string): boolean {
  if (!dir.includes('-linux-')) return false;
  const t = findTarget(dir);
  return t !== undefined && t.triple !== triple;
}

function includeDirTree(o: CliOptions): Tree {
  const dirs = includeDirs(o);
  return {
    roots: dirs,
    list: JSON.stringify(['dirs by include depth', defaultTarget(o).triple, ...dirs]),
    files: (memo) => byIncludeDepth(dirs, memo, defaultTarget(o).triple),
    base: process.cwd(),
    unit: (hs) => ({ args: [...hs.slice(0, -1).flatMap((h) => ['-include', h]), hs[hs.length - 1]!] }),
  };
}

/** The database's entries with their absolute file and include directories. */
export function compdbEntries(path: string): { db: string; entries: ReachEntry[] } {
  let db = resolve(path);
  try {
    if (statSync(db).isDirectory()) db = join(db, 'compile_commands.json');
  } catch {
    /* reported below */
  }
  let raw: { directory?: string; file: string; arguments?: string[]; command?: string }[];
  try {
    raw = JSON.parse(readFileSync(db, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'No such file or directory'
        : code === 'EACCES'
          ? 'Permission denied'
          : code === 'EISDIR'
            ? 'Is a directory'
            : code
              ? (e as Error).message
              : `not valid JSON (${(e as Error).message})`;
    throw new CompDbError(`${db}: ${why}`);
  }
  if (!Array.isArray(raw)) throw new CompDbError(`${db}: expected an array of compile commands`);
  const entries = raw.flatMap((e) => {
    if (typeof e?.file !== 'string') return [];
    const dir = resolve(process.cwd(), e.directory ?? '.');
    const file = resolve(dir, e.file);
    const cf = parseCompilerArgs(e.arguments ?? splitCommand(e.command ?? ''), dir, file);
    const include = [...cf.include.angled, ...cf.include.system, ...cf.include.after];
    return [{ file, include, quote: cf.include.quote, forced: cf.forcedIncludes }];
  });
  return { db, entries };
}

function compdbTree(o: CliOptions): Tree {
  const { db, entries } = compdbEntries(o.compdb!);
  const dirs = [...new Set(entries.flatMap((e) => [...e.quote, ...e.include]))];
  const sources = new Set(entries.map((e) => e.file));
  // (-include files too: they may lie outside every include directory.)
  const forced = [...new Set(entries.flatMap((e) => e.forced))];
  return {
    files: (memo) => [...new Set([...sources, ...forced, ...byIncludeDepth(dirs, memo, defaultTarget(o).triple)])],
    list: JSON.stringify(['compdb by include depth', defaultTarget(o).triple, dirs, ...sources, '-include', ...forced]),
    roots: [db],
    base: process.cwd(),
    unit(hs) {
      // The first entry whose unit includes every header (a source file among them: that entry).
      const want = new Set(hs);
      const own = hs.filter((h) => sources.has(h));
      const reach = new IncludeReach();
      const entry = entries.find((e) => (own.length === 0 || own.includes(e.file)) && reach.reaches(e, want));
      if (entry) return { args: [entry.file] };
      const which = hs.map((h) => relative(process.cwd(), h)).join(', ');
      return {
        why:
          `no entry of the compilation database includes ${which}` +
          (hs.length > 1 ? ' together; ask for the names one at a time' : '; name a source file that does'),
      };
    },
  };
}

/** Answers a query whose operands are names: finds their headers and runs the unit that defines
 *  them through `run` (as if typed), or reports what is missing. undefined: not such a query. */
export function byName(
  o: CliOptions,
  argv: readonly string[],
  fs: NodeFileSystem,
  run: (argv: string[]) => number,
): number | undefined {
  const names = nameOperands(o, fs);
  if (!names) return undefined;
  const report = new Report();
  let tree: Tree;
  try {
    tree =
      o.kernel !== undefined
        ? kernelIndexTree(o.kernel, fs)
        : o.compdb !== undefined
          ? compdbTree(o)
          : includeDirTree(o);
  } catch (e) {
    // A tree or database that cannot be used: an input error, with the way out (as for a FILE).
    if (!(e instanceof KernelTreeError || e instanceof CompDbError)) throw e;
    report.tool('error', e instanceof KernelTreeError ? kernelTreeHint(o.kernel ?? '', e.message) : e.message);
    process.stdout.write(failureDocument(o, report));
    return 1;
  }
  // (A first build reads every header: some seconds on a large tree, shown on a terminal.)
  const index = treeDefs(openIndex(tree.roots, cacheEnabled(argv as string[])), tree, undefined, (n) =>
    progressBar(n, 'headers indexed', 300),
  );
  const sites = index.sites(names);
  // Each name's files, in the tree's order: the first is analysed, the next when the first's unit
  // does not define the name after all (its definition under an #if the unit leaves false).
  const files: string[][] = [];
  for (const n of names) {
    const s = sites.get(n)!;
    files.push([...new Set(s.map((x) => x.file))]);
    if (s.length > 0) continue;
    const close = closest(n, index.names());
    const where =
      o.kernel !== undefined
        ? "kernel tree's headers"
        : o.compdb !== undefined
          ? "compilation database's files"
          : 'headers of the -I directories';
    report.tool(
      'error',
      `no struct, union or typedef named '${n}' in the ${where}` +
        (close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : ''),
    );
  }
  if (report.json().diagnostics?.some((d) => d.severity === 'error')) {
    process.stdout.write(failureDocument(o, report));
    return 1;
  }
  const pick = names.map(() => 0);
  // What the lookup says of each name defined more than once (before the answer's own messages).
  const notes = (): void =>
    names.forEach((n, i) => {
      const s = sites.get(n)!;
      if (s.length < 2) return;
      const passed = files[i]!.slice(0, pick[i]).map((f) => shown(f, tree.base));
      report.tool(
        'note',
        `'${n}' is defined in ${s.length} places: ${s.map((x) => siteText(x, tree.base)).join('; ')}` +
          (passed.length
            ? `; ${passed.join(', ')} ${passed.length > 1 ? 'do' : 'does'} not define it in this configuration`
            : '') +
          (files[i]!.length > 1
            ? `; analysing ${shown(files[i]![pick[i]!]!, tree.base)} (name a header as FILE to choose another)`
            : ''),
      );
    });
  for (;;) {
    const unit = tree.unit([...new Set(names.map((_, i) => files[i]![pick[i]!]!))]);
    if ('why' in unit) {
      notes();
      report.tool('error', unit.why);
      process.stdout.write(failureDocument(o, report));
      return 1;
    }
    const out = rewrite(argv, unit.args, names);
    const answer = (): number => {
      const lookup = (): number => unitAnswer(out, run);
      const own = report.json().diagnostics ?? [];
      return o.format === 'json' && own.length > 0 ? withNotes(own, lookup) : lookup();
    };
    if (names.every((_, i) => pick[i]! + 1 >= files[i]!.length)) {
      notes();
      return answer();
    }
    // Another header is left to try: the answer is held until it is known to define the names.
    const got = held(() => unitAnswer(out, run));
    const missing = names.flatMap((n, i) =>
      got.code !== 0 &&
      pick[i]! + 1 < files[i]!.length &&
      got.err.includes(`layoutof: error: no struct, union or typedef named '${n}'`)
        ? [i]
        : [],
    );
    if (missing.length === 0) {
      notes();
      const own = report.json().diagnostics ?? [];
      process.stderr.write(got.err);
      process.stdout.write(o.format === 'json' && own.length > 0 ? withNotesText(own, got.out) : got.out);
      return got.code;
    }
    for (const i of missing) pick[i]!++;
  }
}

/** argv with its operands (FILE and the NAMEs) replaced by the unit's FILE (and forced includes) and
 *  the names. */
function rewrite(argv: readonly string[], unitArgs: readonly string[], names: readonly string[]): string[] {
  const slots = operandSlots(argv);
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (i === slots[0]) out.push(...unitArgs, ...names);
    // ('--' goes: the unit's -include options follow, and no operand left starts with '-'.)
    else if (!slots.includes(i) && a !== '--') out.push(a);
  });
  // (An option this file does not know to take a value would have been read as an operand: never
  // run a query other than the one meant.)
  const check = parseArgs(out);
  if (check.file !== unitArgs[unitArgs.length - 1] || check.names.join('\0') !== names.join('\0'))
    throw new Error(`by-name: the command line could not be rewritten (${out.join(' ')})`);
  return out;
}

/** The unit's query answered: from the cache when it was asked before (start.ts looked only under
 *  the names' query), else run as typed. */
function unitAnswer(out: string[], run: (argv: string[]) => number): number {
  const hit = cacheEnabled(out) ? cacheLookup(cacheKey(out, VERSION), out) : undefined;
  if (hit) {
    process.stderr.write(hit.stderr);
    process.stdout.write(hit.stdout);
    return hit.code;
  }
  // (It runs as that query would: a small unit without V8's optimising compiler, as start.ts
  // decided for the names' query, which names no file.)
  smallUnitTiers(out);
  return run(out);
}

/** What `answer` writes to stdout (and to stderr unless `errToo` is false), held instead of written. */
function held(answer: () => number, errToo = true): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  if (errToo) process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = answer();
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

/** Runs `answer` with its JSON document's diagnostics preceded by `notes` (the lookup's own). */
function withNotes(notes: readonly object[], answer: () => number): number {
  const got = held(answer, false);
  process.stdout.write(withNotesText(notes, got.out));
  return got.code;
}

/** A JSON document with `notes` before its diagnostics (text that is not one is left as it is). */
function withNotesText(notes: readonly object[], text: string): string {
  try {
    const doc = JSON.parse(text) as { diagnostics?: object[] };
    doc.diagnostics = [...notes, ...(doc.diagnostics ?? [])];
    return JSON.stringify(doc, null, 2) + '\n';
  } catch {
    return text;
  }
}
