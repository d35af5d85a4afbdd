// The result cache for repeated queries (kernel trees are re-read often): a query's output is stored
// under a key of its arguments and working directory, together with every file the preprocessor read
// (and its content hash) and every path it probed and did not find. A hit needs all of them unchanged,
// so editing any header, the config, or adding a file earlier in the include path invalidates it.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CachedRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

interface Entry extends CachedRun {
  readonly version: number;
  /** [path, size, mtimeMs, sha1] of every file read. */
  readonly files: [string, number, number, string][];
  /** Paths that were probed and absent. */
  readonly absent: string[];
}

const VERSION = 2;

export function cacheDir(): string {
  return process.env.LAYOUTOF_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'layoutof');
}

/** The key: the tool's version and build (its own file's modification time), the working directory
 *  and the arguments. */
export function cacheKey(argv: readonly string[], toolVersion: string): string {
  let build = 0;
  try {
    build = statSync(new URL(import.meta.url)).mtimeMs;
  } catch {
    /* unknown build */
  }
  return createHash('sha1').update(JSON.stringify([toolVersion, build, process.cwd(), argv])).digest('hex');
}

const sha1 = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');

export function cacheLookup(key: string): CachedRun | undefined {
  let e: Entry;
  try {
    e = JSON.parse(readFileSync(join(cacheDir(), key + '.json'), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (e.version !== VERSION) return undefined;
  for (const p of e.absent) {
    try {
      statSync(p);
      return undefined;
    } catch {
      /* still absent */
    }
  }
  for (const [p, size, mtime, hash] of e.files) {
    try {
      const st = statSync(p);
      if (st.size !== size) return undefined;
      // Same size and time: unchanged. A touched file is compared by content.
      if (st.mtimeMs !== mtime && sha1(readFileSync(p)) !== hash) return undefined;
    } catch {
      return undefined;
    }
  }
  return e;
}

export function cacheStore(key: string, run: CachedRun, files: Iterable<string>, absent: Iterable<string>): void {
  try {
    const list: [string, number, number, string][] = [];
    for (const p of files) {
      const b = readFileSync(p);
      list.push([p, b.length, statSync(p).mtimeMs, sha1(b)]);
    }
    const entry: Entry = { version: VERSION, ...run, files: list, absent: [...absent] };
    mkdirSync(cacheDir(), { recursive: true });
    const tmp = join(cacheDir(), `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, join(cacheDir(), key + '.json'));
  } catch {
    // A cache that cannot be written is only slower.
  }
}

/** Whether a command line is one whose result is cached (a kernel tree or a compilation database). */
export function cacheableArgv(argv: readonly string[]): boolean {
  return !process.env.LAYOUTOF_NO_CACHE && !argv.includes('--no-cache') && argv.some((a) => a === '--kernel' || a.startsWith('--kernel=') || a === '-p');
}
