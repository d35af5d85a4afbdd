// The result cache for repeated queries (kernel trees are re-read often): a query's output is stored
// under a key of its arguments and working directory, together with every file the preprocessor read
// (and its content hash) and every path it probed and did not find. A hit needs all of them unchanged,
// so editing any header, the config, or adding a file earlier in the include path invalidates it.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  // Empty counts as unset, as in bin/layoutof's ${VAR:-default}.
  return process.env.LAYOUTOF_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'layoutof');
}

/** What else decides the output: terminals (colour, progress on stderr) and NO_COLOR. */
export function outputState(): string {
  return `${process.stdout.isTTY ? 1 : 0}${process.stderr.isTTY ? 1 : 0}${process.env.NO_COLOR ? 'n' : ''}`;
}

/** The built tool being run: its directory (dist/) and the file whose modification time stamps the
 *  build. By default this module's own file; the bundled start-up snapshot (snapshot.ts) sets them
 *  to the blob it was started from. */
let tool: { dir: string; stamp: string } | undefined;
export function setBuiltTool(dir: string, stamp: string): void {
  tool = { dir: resolve(dir), stamp: resolve(stamp) };
}
function builtTool(): { dir: string; stamp: string } {
  return tool ?? { dir: fileURLToPath(new URL('..', import.meta.url)), stamp: fileURLToPath(import.meta.url) };
}

/** The key: the tool's version and build (its own file's modification time), the working directory
 *  and the arguments. */
export function cacheKey(argv: readonly string[], toolVersion: string): string {
  let build = 0;
  try {
    build = statSync(builtTool().stamp).mtimeMs;
  } catch {
    /* unknown build */
  }
  return createHash('sha1').update(JSON.stringify([toolVersion, build, process.cwd(), outputState(), argv])).digest('hex');
}

/** The shell fast path's key, as bin/layoutof computes it: sha1 of the working directory, the output
 *  state and the arguments, each followed by a NUL (`printf '%s\0' ... | sha1sum`). */
export function shellKey(argv: readonly string[]): string {
  const h = createHash('sha1');
  for (const a of [process.cwd(), outputState(), ...argv]) h.update(a).update('\0');
  return h.digest('hex');
}

/** `stat`'s line for each path (GNU coreutils): size, modification and change times to the
 *  nanosecond, inode and name; an absent path prints nothing, so a path that appears changes it. */
const STAT = `xargs -0 stat -c '%s %y %z %i %n' -- < "$1" 2>/dev/null; exit 0`;

/** The built tool's own files: a rebuild invalidates every entry. */
function toolFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.(js|ts|cjs|blob)$/.test(e.name)) out.push(join(dir, e.name));
    }
  };
  try {
    walk(builtTool().dir);
  } catch {
    /* nothing to add */
  }
  return out.sort();
}

function shellEntry(argv: readonly string[]): string {
  return join(cacheDir(), 'sh', shellKey(argv));
}

/** Writes the entry bin/layoutof reads without starting Node: a directory named by shellKey with
 *  `paths` (NUL-separated, absolute: the tool's own files, the files read, the paths found absent),
 *  `stat` (stat's output for them now), and the run's `out`, `err`, `rc`. */
function shellStore(argv: readonly string[], run: CachedRun, files: Iterable<string>, absent: Iterable<string>): void {
  const paths = [...toolFiles(), ...files, ...absent].map((p) => resolve(p));
  const final = shellEntry(argv);
  const tmp = `${final}.${process.pid}.tmp`;
  mkdirSync(tmp, { recursive: true });
  try {
    writeFileSync(join(tmp, 'paths'), paths.map((p) => p + '\0').join(''));
    const st = spawnSync('sh', ['-c', STAT, 'sh', join(tmp, 'paths')], { encoding: 'latin1' });
    // The tool's own files always exist: no line for them means no GNU stat here, and no entry.
    if (st.status !== 0 || st.error || !st.stdout.includes('\n')) return;
    writeFileSync(join(tmp, 'stat'), st.stdout, 'latin1');
    writeFileSync(join(tmp, 'out'), run.stdout);
    writeFileSync(join(tmp, 'err'), run.stderr);
    writeFileSync(join(tmp, 'rc'), `${run.code}\n`);
    rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A file's sha1 and size, read a MiB at a time (a binary may be a 500 MB vmlinux: never all of it
 *  in memory again just to be hashed). */
function hashFile(p: string): { sha1: string; size: number } {
  const h = createHash('sha1');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(p, 'r');
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha1: h.digest('hex'), size };
}

/** The stored run for `key` if every file it read is unchanged and every absent path still absent.
 *  With `argv`, the shell fast path's entry is rewritten too (it missed, or Node would not run). */
export function cacheLookup(key: string, argv?: readonly string[]): CachedRun | undefined {
  let e: Entry;
  const file = join(cacheDir(), key + '.json');
  try {
    e = JSON.parse(readFileSync(file, 'utf8')) as Entry;
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
  let touched = false;
  for (const [p, size, mtime, hash] of e.files) {
    try {
      const st = statSync(p);
      if (st.size !== size) return undefined;
      // Same size and time: unchanged. A touched file is compared by content.
      if (st.mtimeMs !== mtime) {
        if (hashFile(p).sha1 !== hash) return undefined;
        touched = true;
      }
    } catch {
      return undefined;
    }
  }
  // Still valid after a touch, or the shell entry is missing: (re)write it so that the next query is
  // answered without Node again.
  if (argv && process.platform !== 'win32' && (touched || !existsSync(join(shellEntry(argv), 'stat')))) {
    try {
      shellStore(argv, e, e.files.map(([p]) => p), e.absent);
    } catch {
      /* only slower */
    }
  }
  markUsed(file, argv);
  return e;
}

export function cacheStore(key: string, run: CachedRun, files: Iterable<string>, absent: Iterable<string>, argv: readonly string[]): void {
  try {
    const list: [string, number, number, string][] = [];
    for (const p of files) {
      const { sha1, size } = hashFile(p);
      list.push([p, size, statSync(p).mtimeMs, sha1]);
    }
    const entry: Entry = { version: VERSION, ...run, files: list, absent: [...absent] };
    mkdirSync(cacheDir(), { recursive: true });
    const tmp = join(cacheDir(), `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, join(cacheDir(), key + '.json'));
    if (process.platform !== 'win32') shellStore(argv, run, list.map(([p]) => p), entry.absent);
    prune([join(cacheDir(), key + '.json'), shellEntry(argv)]);
  } catch {
    // A cache that cannot be written is only slower.
  }
}

/** Records that an entry answered a query now: its file's time, and the shell entry's `used` file
 *  (which bin/layoutof rewrites when it answers itself); prune() drops the least recently used. */
function markUsed(file: string, argv: readonly string[] | undefined): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
    if (argv && process.platform !== 'win32') writeFileSync(join(shellEntry(argv), 'used'), '');
  } catch {
    /* a read-only cache still answers */
  }
}

/** The cache's size bound: past it the least recently used entries go (a whole vmlinux's text is
 *  6 MB, stored twice). LAYOUTOF_CACHE_MAX_MB overrides it. */
function maxBytes(): number {
  const mb = Number(process.env.LAYOUTOF_CACHE_MAX_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 256) * 1024 * 1024;
}

/** Deletes the least recently used entries (by the time they were written or last answered a query),
 *  Node's (KEY.json) and the shell's (sh/KEY/) alike, until what is left fits maxBytes(); never those
 *  in `keep` (the query just stored). */
function prune(keep: readonly string[]): void {
  const root = cacheDir();
  const entries: { path: string; bytes: number; mtime: number }[] = [];
  for (const f of readdirSync(root)) {
    if (!f.endsWith('.json')) continue;
    const st = statSync(join(root, f), { throwIfNoEntry: false });
    if (st) entries.push({ path: join(root, f), bytes: st.size, mtime: st.mtimeMs });
  }
  const sh = join(root, 'sh');
  for (const d of existsSync(sh) ? readdirSync(sh) : []) {
    let bytes = 0;
    let mtime = -1;
    for (const f of ['out', 'err', 'paths', 'stat', 'used']) {
      const st = statSync(join(sh, d, f), { throwIfNoEntry: false });
      if (st) bytes += st.size;
      if (st && (f === 'out' || f === 'used')) mtime = Math.max(mtime, st.mtimeMs);
    }
    if (mtime >= 0) entries.push({ path: join(sh, d), bytes, mtime });
  }
  let total = entries.reduce((a, e) => a + e.bytes, 0);
  const limit = maxBytes();
  if (total <= limit) return;
  entries.sort((a, b) => a.mtime - b.mtime);
  for (const e of entries) {
    if (total <= limit) break;
    if (keep.includes(e.path)) continue;
    rmSync(e.path, { recursive: true, force: true });
    total -= e.bytes;
  }
}

/** Whether the result cache may be used at all (not LAYOUTOF_NO_CACHE, not --no-cache). */
export function cacheEnabled(argv: readonly string[]): boolean {
  // (--counts and --slabinfo read live counts that no recorded file stat can vouch for.)
  return !process.env.LAYOUTOF_NO_CACHE && !argv.includes('--no-cache') && !argv.some((a) => a.startsWith('--counts') || a.startsWith('--slabinfo'));
}

/** Whether a command line is cached whatever its input (a kernel tree or a compilation database);
 *  a binary input is cached too, which only main.ts can tell (by the file's magic number). */
export function cacheableArgv(argv: readonly string[]): boolean {
  return cacheEnabled(argv) && argv.some((a) => a === '--kernel' || a.startsWith('--kernel=') || a === '-p');
}
