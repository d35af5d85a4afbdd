// What every mode shares: the build context of a source input (target, include paths and macros from
// the command line, a kernel tree or a compilation database), a FILE resolved as the context says,
// and the helpers that tell a binary input from source.

import { existsSync, readdirSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { resolve } from 'node:path';
import type { IncludePaths, SourceOptions } from '../api.js';
import { kernelSourceOptions, kernelTree, resolveKernelFile, type KernelTree } from '../kernel/kbuild.js';
import { compileFlagsFor } from '../kernel/compdb.js';
import {
  commandTarget,
  dropDuplicateDirs,
  gccMacros,
  parseGccArgs,
  targetVariant,
  TargetFlagError,
} from '../kernel/gcc-flags.js';
import { DEFAULT_TARGET, findTarget, targetAliases, TARGETS, type Target } from '../target/target.js';
import type { NodeFileSystem } from './nodefs.js';
import { systemIncludeDirs } from './sysinc.js';
import { editDistance, UsageError, type CliOptions } from './args.js';

export interface BuildContext {
  readonly target: Target;
  readonly file: string;
  readonly options: SourceOptions;
  /** Where FILE was looked for when it is a header name (--kernel): listed when it is not found. */
  readonly searched?: readonly string[];
}

/** The query's target: --target's, else the default (for inputs whose flags do not say it). */
export const defaultTarget = (o: CliOptions): Target => findTarget(o.target ?? '') ?? DEFAULT_TARGET;

/** The -iquote, -I, -isystem and -idirafter directories, whole, in search order. */
export function includeDirs(o: CliOptions): string[] {
  return [...o.iquote, ...o.I, ...o.isystem, ...o.idirafter].map((d) => resolve(d));
}

/** Target, include paths and macros from the command line, a kernel tree (--kernel) or a compilation
 *  database (-p); command-line -I/-D/-include add to either. */
export function buildContext(o: CliOptions, fs: NodeFileSystem): BuildContext {
  // gcc's own flags on the command line (gcc-flags.ts): include paths, macros and a target variant.
  const g = parseGccArgs(o.gcc ?? []);
  const cli: IncludePaths = {
    quote: [...o.iquote, ...g.include.quote],
    angled: [...o.I, ...g.include.angled],
    system: [...o.isystem, ...g.include.system],
    builtin: [],
    after: [...o.idirafter, ...g.include.after],
  };
  const forced = [...g.forcedIncludes, ...o.include];
  const merge = (a: IncludePaths, b: IncludePaths): IncludePaths => ({
    quote: [...b.quote, ...a.quote],
    angled: [...b.angled, ...a.angled],
    system: [...b.system, ...a.system],
    builtin: a.builtin,
    after: [...a.after, ...b.after],
  });
  const sysdirs = (t: Target): string[] =>
    systemIncludeDirs(t.triple === DEFAULT_TARGET.triple ? undefined : t.triple) ?? [];
  const withFlags = (t: Target): Target => {
    try {
      return targetVariant(t, g.layout, g.codegen);
    } catch (e) {
      throw e instanceof TargetFlagError ? new UsageError(e.message, { cause: e }) : e;
    }
  };
  const named = o.target ? findTarget(o.target) : undefined;
  if (o.target && !named) throw new UsageError(unknownTarget(o.target));
  if (o.kernel) {
    const tree = kernelTree(o.kernel, fs);
    if (o.target && named !== tree.target)
      throw new UsageError(
        `--target ${o.target} conflicts with the kernel tree's architecture (${tree.target.triple})`,
      );
    const file = resolveKernelFile(tree, o.file!, fs) ?? o.file!;
    const base = kernelSourceOptions(tree, fs);
    const target = withFlags(tree.target);
    const include = dropDuplicateDirs(merge(base.include, cli));
    const macros = [...base.macros, ...gccMacros(target, g), ...o.macros];
    return {
      target,
      file,
      options: { ...base, target, include, macros, forcedIncludes: [...base.forcedIncludes, ...forced] },
      searched: searchedFor(tree, o.file!),
    };
  }
  if (o.compdb) {
    const cf = compileFlagsFor(o.compdb, o.file!, fs, process.cwd(), named);
    const target = withFlags(cf.target);
    const nostdinc = cf.nostdinc || o.nostdinc || g.nostdinc;
    const include = dropDuplicateDirs(merge({ ...cf.include, builtin: nostdinc ? [] : sysdirs(target) }, cli));
    return {
      target,
      file: cf.file,
      options: {
        fs,
        target,
        include,
        macros: [...cf.macros, ...gccMacros(target, g), ...o.macros],
        forcedIncludes: [...cf.forcedIncludes, ...forced],
        nostdinc,
      },
    };
  }
  let base: Target;
  try {
    base = commandTarget(undefined, g, named ?? DEFAULT_TARGET);
  } catch (e) {
    throw e instanceof TargetFlagError ? new UsageError(e.message, { cause: e }) : e;
  }
  const target = withFlags(base);
  const nostdinc = o.nostdinc || g.nostdinc;
  const include = dropDuplicateDirs({ ...cli, builtin: nostdinc ? [] : sysdirs(target) });
  return {
    target,
    file: o.file!,
    options: { fs, target, include, macros: [...gccMacros(target, g), ...o.macros], forcedIncludes: forced, nostdinc },
  };
}

/** A header name (not a path) given as FILE with --kernel is looked for in the tree's <...> path. */
function searchedFor(tree: KernelTree, file: string): string[] | undefined {
  return file.startsWith('/') || file.startsWith('.') ? undefined : ['.', ...tree.include.angled];
}

/** Why FILE (ctx.file, resolved from what was given) cannot be read as an input, as the system would
 *  say it, or undefined when it can; a header name not found under --kernel lists where it was
 *  looked for. */
export function unreadable(
  fs: NodeFileSystem,
  ctx: Pick<BuildContext, 'file' | 'searched'> | undefined,
  file: string,
): string | undefined {
  const why = fs.problem(ctx?.file ?? file);
  const dirs = ctx?.searched;
  return why === 'No such file or directory' && dirs
    ? `${why} (looked for as a header name in: ${dirs.join(', ')})`
    : why;
}

export function unknownTarget(name: string): string {
  const close = closest(
    name,
    TARGETS.flatMap((t) => [t.triple, ...targetAliases(t.triple)]),
  );
  const hint = close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : '';
  return `unknown target '${name}'${hint} (see --list-targets)`;
}

/** A kernel tree error, with the way out when the tree is Debian's architecture-independent half
 *  (linux-headers-*-common has no .config: the -amd64 (or -arm64...) tree beside it is the one). */
export function kernelTreeHint(dir: string, message: string): string {
  const m = /^(.*)-common\/*$/.exec(dir);
  if (!m || !/no \.config/.test(message)) return message;
  const parent = m[1]!.replace(/\/[^/]*$/, '') || '/';
  const stem = m[1]!.slice(parent.length + 1);
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    /* no listing: the generic advice */
  }
  const flavours = names.filter(
    (n) => n.startsWith(stem + '-') && n !== `${stem}-common` && existsSync(`${parent}/${n}/.config`),
  );
  const which = flavours.length
    ? flavours.map((n) => `${parent}/${n}`).join(' or ')
    : `${m[1]}-amd64 (install linux-headers-amd64 or your architecture's package)`;
  return (
    `${dir.replace(/\/+$/, '')}: this is Debian's architecture-independent half of the headers, ` +
    `without a .config; use the configured tree beside it: --kernel ${which}`
  );
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

/** NAME without a leading `struct ` or `union `. */
export const bareName = (n: string): string => n.replace(/^(struct|union)\s+/, '');

export function nodeDecompress(kind: 'zlib' | 'zstd', data: Uint8Array, size: number): Uint8Array {
  // Never more than the section header says (a zlib bomb stops there); +1 so that "more" is seen.
  if (kind === 'zlib') {
    try {
      // One output chunk of the whole size: no list of 16 KB chunks to join, and the result is
      // viewed, not copied.
      const out = inflateSync(data, { maxOutputLength: Math.max(1, size + 1), chunkSize: Math.max(64, size + 1) });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new Error(`more than the ${size} bytes its header says`, { cause: e });
      throw e;
    }
  }
  throw new Error(`no ${kind} decompressor here`); // (zstd is decompressed by the engine itself)
}
