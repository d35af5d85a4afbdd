// Finds the system compiler's #include <...> search list the way the compiler itself reports it
// (`cc -E -v`), so headers resolve exactly as they would for gcc. Undefined when there is no compiler.
// The report is remembered between runs (the cache directory's sysinc/), keyed by the compiler's
// identity (its executable as PATH finds it: size, times, inode) and the environment it reads, and
// checked against the directories it named and those it said do not exist, so that a run spawns
// neither the driver nor cc1 (docs/performance.md#a-small-unit).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath, readOwned, safeRoot, safeSubdir, writeAtomic } from './cachefs.js';
import { cacheDir } from './cache.js';
import { COMPILER_ENV } from './compiler-env.js';

const cache = new Map<string, string[] | undefined>();
/** The compiler commands run, for the result cache: their executables are part of what a cached
 *  answer depends on (an upgrade or another compiler first on PATH can change the search list). */
export const compilersRun = new Set<string>();
/** The directories the compilers run said they ignore as nonexistent: one made later joins their
 *  search list, so a cached answer holds only while they stay absent. */
export const compilerMissing = new Set<string>();

export function systemIncludeDirs(triple?: string): string[] | undefined {
  const key = triple ?? '';
  if (cache.has(key)) return cache.get(key);
  const cands = triple && triple !== 'x86_64-linux-gnu' ? [`${triple}-gcc`] : ['cc', 'gcc'];
  let dirs: string[] | undefined;
  for (const cc of cands) {
    compilersRun.add(cc);
    dirs = remembered(cc) ?? ask(cc);
    if (dirs) break;
  }
  cache.set(key, dirs);
  return dirs;
}

interface Report {
  readonly dirs: string[];
  readonly missing: string[];
}

/** `cc -E -v`'s search list, and the directories it says it ignores as nonexistent. */
function ask(cc: string): string[] | undefined {
  const r = spawnSync(cc, ['-E', '-v', '-x', 'c', '/dev/null'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stderr) return undefined;
  const text = r.stderr;
  const a = text.indexOf('#include <...> search starts here:');
  const b = text.indexOf('End of search list.');
  if (a < 0 || b < 0) return undefined;
  const dirs = text
    .slice(a, b)
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('/'));
  const missing = [...text.matchAll(/^ignoring nonexistent directory "([^"]+)"$/gm)].map((m) => m[1]!);
  remember(cc, { dirs, missing });
  for (const d of missing) compilerMissing.add(d);
  return dirs;
}

/** Where the report of `cc` as it is now is kept; undefined when the cache is off or unusable. */
function memoFile(cc: string, create: boolean): { dir: string; name: string } | undefined {
  if (process.env.LAYOUTOF_NO_CACHE || process.argv.includes('--no-cache')) return undefined;
  const exe = findOnPath(cc);
  if (!exe) return undefined;
  const env = COMPILER_ENV.map((k) => `${k}=${process.env[k] ?? ''}`);
  const key = createHash('sha1')
    .update(JSON.stringify([cc, exe.path, exe.id, env]))
    .digest('hex');
  const root = safeRoot(cacheDir(), create);
  const dir = root ? safeSubdir(join(root, 'sysinc'), create) : undefined;
  return dir ? { dir, name: `${key}.json` } : undefined;
}

function remembered(cc: string): string[] | undefined {
  const at = memoFile(cc, false);
  const buf = at ? readOwned(join(at.dir, at.name), 1 << 20) : undefined;
  if (!buf) return undefined;
  try {
    const r = JSON.parse(buf.toString('utf8')) as Report;
    // The directories as the compiler found them: all there still, none of the missing ones made since.
    if (
      !Array.isArray(r.dirs) ||
      !Array.isArray(r.missing) ||
      !r.dirs.every((d) => existsSync(d)) ||
      r.missing.some((d) => existsSync(d))
    )
      return undefined;
    for (const d of r.missing) compilerMissing.add(d);
    return r.dirs;
  } catch {
    return undefined;
  }
}

function remember(cc: string, r: Report): void {
  try {
    const at = memoFile(cc, true);
    if (at) writeAtomic(at.dir, at.name, JSON.stringify(r));
  } catch {
    /* asked again next time */
  }
}
