// compile_commands.json (clang-tidy's and clangd's -p convention): FILE's real compile flags from the
// kernel's `make compile_commands.json`, CMake's CMAKE_EXPORT_COMPILE_COMMANDS or bear, turned into
// SourceOptions. Include paths resolve against the entry's "directory"; flags that change gcc's
// predefined macros or layouts are applied (gcc-flags.ts); everything else is ignored.

import type { IncludePaths } from '../core/options.js';
import { joinPath, normalizePath, type FileSystem } from '../core/fs.js';
import { DEFAULT_TARGET, type Target } from '../target/target.js';
import type { MacroOp } from './flags.js';
import { commandTarget, gccMacros, parseGccArgs, targetVariant, TargetFlagError } from './gcc-flags.js';

export interface CompileFlags {
  readonly directory: string;
  readonly file: string;
  readonly include: IncludePaths;
  readonly macros: MacroOp[];
  readonly forcedIncludes: string[];
  readonly nostdinc: boolean;
  /** The command's target, as its layout flags change it. */
  readonly target: Target;
  readonly compiler?: string;
}

export class CompDbError extends Error {}

interface Entry {
  directory: string;
  file: string;
  arguments?: string[];
  command?: string;
}

/** Finds FILE's entry in the compilation database at `path` (a file, or a directory holding one). */
export function compileFlagsFor(
  path: string,
  file: string,
  fs: FileSystem,
  cwd: string,
  override?: Target,
): CompileFlags {
  const dbPath = fs.isDirectory(path) ? joinPath(path, 'compile_commands.json') : path;
  const text = fs.readFile(dbPath);
  if (text === undefined) throw new CompDbError(`${dbPath}: ${fs.readError?.(dbPath) ?? 'No such file or directory'}`);
  let entries: Entry[];
  try {
    entries = JSON.parse(text) as Entry[];
  } catch (e) {
    throw new CompDbError(`${dbPath}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(entries)) throw new CompDbError(`${dbPath}: expected an array of compile commands`);
  entries.forEach((e, i) => checkEntry(e, `${dbPath}: entry ${i + 1}`));
  const want = normalizePath(joinPath(cwd, file));
  const entry = entries.find((e) => normalizePath(joinPath(joinPath(cwd, e.directory ?? '.'), e.file)) === want);
  if (!entry) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const near = entries
      .filter((e) => e.file.endsWith('/' + base) || e.file === base)
      .slice(0, 3)
      .map((e) => e.file);
    throw new CompDbError(
      `${dbPath}: no compile command for ${file}${near.length ? ` (entries with that name: ${near.join(', ')})` : ''}`,
    );
  }
  const args = entry.arguments ?? splitCommand(entry.command ?? '');
  return parseCompilerArgs(args, joinPath(cwd, entry.directory ?? '.'), want, fs, override);
}

/** The JSON Compilation Database format's shape (clang's JSONCompilationDatabase.html): an object
 *  with "file" and "directory" strings and either an "arguments" array of strings or a "command"
 *  string. Checked for every entry, so that a malformed database is reported as one. */
function checkEntry(e: unknown, where: string): asserts e is Entry {
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    throw new CompDbError(`${where}: expected an object with "directory", "file" and "arguments" or "command"`);
  const o = e as { [k: string]: unknown };
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);
  if (typeof o.file !== 'string') throw new CompDbError(`${where}: "file" must be a string, not ${kind(o.file)}`);
  if (o.directory !== undefined && typeof o.directory !== 'string')
    throw new CompDbError(`${where}: "directory" must be a string, not ${kind(o.directory)}`);
  if (o.arguments !== undefined) {
    if (!Array.isArray(o.arguments))
      throw new CompDbError(`${where}: "arguments" must be an array of strings, not ${kind(o.arguments)}`);
    const bad = o.arguments.findIndex((a) => typeof a !== 'string');
    if (bad >= 0)
      throw new CompDbError(`${where}: "arguments"[${bad}] must be a string, not ${kind(o.arguments[bad])}`);
  } else if (typeof o.command !== 'string') {
    const not = o.command === undefined ? '' : `, not ${kind(o.command)}`;
    throw new CompDbError(`${where}: needs "arguments" (an array of strings) or "command" (a string)${not}`);
  }
}

/** The flags of one compile command (args[0] is the compiler, or a ccache/distcc wrapper before it),
 *  with relative paths resolved against `directory`. The target is --target's, else the cross
 *  compiler's (aarch64-linux-gnu-gcc), else `fallback`; `override` (layoutof's --target) wins over
 *  both. Layout flags (-fshort-enums, -fpack-struct, -m32, ...) give a variant of it. */
export function parseCompilerArgs(
  args: readonly string[],
  directory: string,
  file: string,
  fs?: FileSystem,
  override?: Target,
): CompileFlags {
  let first = 0;
  while (first < args.length - 1 && /(^|\/)(ccache|distcc|sccache|icecc)$/.test(args[first]!)) first++;
  const compiler = args[first];
  const abs = (p: string): string => joinPath(directory, p);
  const g = parseGccArgs(args.slice(first + 1), abs);
  let target: Target;
  try {
    target = targetVariant(override ?? commandTarget(compiler, g, DEFAULT_TARGET), g.layout, g.codegen);
  } catch (e) {
    if (e instanceof TargetFlagError) throw new CompDbError(`${file}: ${e.message}`);
    throw e;
  }
  const include = { ...g.include, builtin: [] as string[] };
  // gcc looks for -include FILE in the compile's directory, then along the "..." include chain.
  const chain = [...include.quote, ...include.angled, ...include.system, ...include.after];
  const forced = g.forcedIncludes.map((f) => {
    if (f.startsWith('/') || !fs || fs.isFile(abs(f))) return abs(f);
    const dir = chain.find((d) => fs.isFile(joinPath(d, f)));
    return dir ? joinPath(dir, f) : f;
  });
  return {
    directory,
    file,
    include,
    macros: gccMacros(target, g),
    forcedIncludes: forced,
    nostdinc: g.nostdinc,
    target,
    compiler,
  };
}

/** POSIX shell word splitting for "command" strings (quotes and backslashes). */
export function splitCommand(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      cur += s.slice(i + 1, j < 0 ? s.length : j);
      i = j < 0 ? s.length : j;
      inWord = true;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) i++;
        cur += s[i++];
      }
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
