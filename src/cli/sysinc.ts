// Finds the system compiler's #include <...> search list the way the compiler itself reports it
// (`cc -E -v`), so headers resolve exactly as they would for gcc. Undefined when there is no compiler.
import { spawnSync } from 'node:child_process';

const cache = new Map<string, string[] | undefined>();
/** The compiler commands run, for the result cache: their executables are part of what a cached
 *  answer depends on (an upgrade or another compiler first on PATH can change the search list). */
export const compilersRun = new Set<string>();

export function systemIncludeDirs(triple?: string): string[] | undefined {
  const key = triple ?? '';
  if (cache.has(key)) return cache.get(key);
  const cands = triple && triple !== 'x86_64-linux-gnu' ? [`${triple}-gcc`] : ['cc', 'gcc'];
  let dirs: string[] | undefined;
  for (const cc of cands) {
    compilersRun.add(cc);
    const r = spawnSync(cc, ['-E', '-v', '-x', 'c', '/dev/null'], { encoding: 'utf8' });
    if (r.status !== 0 || !r.stderr) continue;
    const text = r.stderr;
    const a = text.indexOf('#include <...> search starts here:');
    const b = text.indexOf('End of search list.');
    if (a < 0 || b < 0) continue;
    dirs = text.slice(a, b).split('\n').slice(1).map((l) => l.trim()).filter((l) => l.startsWith('/'));
    break;
  }
  cache.set(key, dirs);
  return dirs;
}
