// compile_commands.json (clang-tidy's and clangd's -p convention): FILE's real compile flags from the
// kernel's `make compile_commands.json`, CMake's CMAKE_EXPORT_COMPILE_COMMANDS or bear, turned into
// SourceOptions. Include paths resolve against the entry's "directory"; flags that change gcc's
// predefined macros are applied; everything else is ignored.

import type { IncludePaths } from '../core/options.js';
import { joinPath, normalizePath, type FileSystem } from '../core/fs.js';
import { flagMacroEffects, type MacroOp } from './flags.js';

export interface CompileFlags {
  readonly directory: string;
  readonly file: string;
  readonly include: IncludePaths;
  readonly macros: MacroOp[];
  readonly forcedIncludes: string[];
  readonly nostdinc: boolean;
  readonly target?: string;
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
export function compileFlagsFor(path: string, file: string, fs: FileSystem, cwd: string): CompileFlags {
  const dbPath = fs.isDirectory(path) ? joinPath(path, 'compile_commands.json') : path;
  const text = fs.readFile(dbPath);
  if (text === undefined) throw new CompDbError(`${dbPath}: No such file or directory`);
  let entries: Entry[];
  try {
    entries = JSON.parse(text) as Entry[];
  } catch (e) {
    throw new CompDbError(`${dbPath}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(entries)) throw new CompDbError(`${dbPath}: expected an array of compile commands`);
  const want = normalizePath(joinPath(cwd, file));
  const entry = entries.find((e) => e && typeof e.file === 'string' && normalizePath(joinPath(joinPath(cwd, e.directory ?? '.'), e.file)) === want);
  if (!entry) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const near = entries.filter((e) => e?.file?.endsWith('/' + base) || e?.file === base).slice(0, 3).map((e) => e.file);
    throw new CompDbError(`${dbPath}: no compile command for ${file}${near.length ? ` (entries with that name: ${near.join(', ')})` : ''}`);
  }
  const args = entry.arguments ?? splitCommand(entry.command ?? '');
  return parseCompilerArgs(args, joinPath(cwd, entry.directory ?? '.'), want);
}

export function parseCompilerArgs(args: readonly string[], directory: string, file: string): CompileFlags {
  const include = { quote: [] as string[], angled: [] as string[], system: [] as string[], builtin: [] as string[], after: [] as string[] };
  const macros: MacroOp[] = [];
  const forcedIncludes: string[] = [];
  const codegen: string[] = [];
  let nostdinc = false;
  let target: string | undefined;
  const abs = (p: string): string => joinPath(directory, p);
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    const take = (): string => args[++i] ?? '';
    const joined = (flag: string): string | undefined => (a === flag ? take() : a.startsWith(flag) ? a.slice(flag.length) : undefined);
    let v: string | undefined;
    if ((v = joined('-isystem')) !== undefined) include.system.push(abs(v));
    else if ((v = joined('-idirafter')) !== undefined) include.after.push(abs(v));
    else if ((v = joined('-iquote')) !== undefined) include.quote.push(abs(v));
    else if ((v = joined('-include')) !== undefined) forcedIncludes.push(abs(v));
    else if ((v = joined('-I')) !== undefined) include.angled.push(abs(v));
    else if ((v = joined('-D')) !== undefined) macros.push(['D', v]);
    else if ((v = joined('-U')) !== undefined) macros.push(['U', v]);
    else if (a === '-nostdinc') nostdinc = true;
    else if (a.startsWith('--target=')) target = a.slice(9);
    else if (a === '-target') target = take();
    else if (a === '-o' || a === '-MF' || a === '-MT' || a === '-MQ' || a === '-x') i++;
    else if (a.startsWith('-')) codegen.push(a);
  }
  // Code-generation flags first, so explicit -D/-U on the command line win as they do for gcc.
  return { directory, file, include, macros: [...flagMacroEffects(codegen), ...macros], forcedIncludes, nostdinc, target, compiler: args[0] };
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
