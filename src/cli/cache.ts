// The result cache for repeated queries (kernel trees, compilation databases and binaries are read
// again and again): a query's output is stored under a key of everything else that decides it (the
// tool's build, the arguments, the working directory, the terminals, the environment the compiler
// and the tool read), with the identity (`stat -L`: size, times to the nanosecond, inode, device)
// and content hash of every file read, every path probed and not found, and the compilers run. A hit
// needs all of them unchanged; a file whose identity changed is compared by content. docs/cache.md
// says what is kept and why it cannot go stale; cachefs.ts why it cannot be turned against its user.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findOnPath,
  hashFile,
  identityOf,
  isOwnedFile,
  pathCandidates,
  ownedByMe,
  readOwned,
  safeRoot,
  safeSubdir,
  tempName,
  touchOwned,
  writeAtomic,
  writeNew,
  type FileId,
} from './cachefs.js';
import { compilerMissing, compilersRun } from './sysinc.js';
import { COMPILER_ENV } from './compiler-env.js';

export interface CachedRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** A stored query (KEY.json). */
interface Entry extends CachedRun {
  readonly version: number;
  /** [path, identity, sha1, racy] of every file read (cachefs.ts's FileId). */
  readonly files: [string, string, string, boolean][];
  /** [path, identity] of the compilers run: an upgrade changes the answer's system headers. */
  readonly stamps: [string, string][];
  /** Paths that were probed and absent, or found and not readable (a FIFO): while they are there
   *  the answer is recomputed. */
  readonly absent: string[];
}

const VERSION = 3;

/** Cache files larger than this are not read (no stored output is: main.ts keeps at most 64 MB). */
const MAX_ENTRY_BYTES = 1 << 28;

/** The environment in the key, by name, in bin/layoutof's order: the compiler's (its search path:
 *  which compiler runs, its include variables, the language of the `cc -E -v` report that is parsed)
 *  and the tool's own that change an answer. Every LAYOUTOF_* variable the tool reads is here or in
 *  RUN_ONLY_ENV (a test holds the sources to it). */
export const KEY_ENV = [...COMPILER_ENV, 'LAYOUTOF_PRIME', 'LAYOUTOF_INLINING', 'LAYOUTOF_PREFIX'] as const;
/** LAYOUTOF_* variables that change how the tool runs or caches, never what it answers (and
 *  LAYOUTOF_DEBUG, which changes only an internal error's report: never cached). */
export const RUN_ONLY_ENV = [
  'LAYOUTOF_CACHE_DIR',
  'LAYOUTOF_CACHE_MAX_MB',
  'LAYOUTOF_NO_CACHE',
  'LAYOUTOF_NODE',
  'LAYOUTOF_NO_SNAPSHOT',
  'LAYOUTOF_DEBUG',
] as const;

/** KEY_ENV's values as bin/layoutof writes them: "" when unset, "=VALUE" when set (so that unset
 *  and empty differ). */
function keyEnv(): string[] {
  return KEY_ENV.map((n) => (process.env[n] === undefined ? '' : `=${process.env[n]}`));
}

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

/** The key: the tool's version and build, the working directory, the output state, the environment
 *  (KEY_ENV, and any other LAYOUTOF_* variable not known to be RUN_ONLY_ENV) and the arguments. */
export function cacheKey(argv: readonly string[], toolVersion: string): string {
  const build = identityOf(builtTool().stamp) ?? '';
  const known = new Set<string>([...KEY_ENV, ...RUN_ONLY_ENV]);
  const other = Object.keys(process.env)
    .filter((n) => n.startsWith('LAYOUTOF_') && !known.has(n))
    .sort()
    .map((n) => `${n}=${process.env[n]}`);
  return createHash('sha1')
    .update(JSON.stringify([toolVersion, build, process.cwd(), outputState(), keyEnv(), other, argv]))
    .digest('hex');
}

/** The shell fast path's key, as bin/layoutof computes it: sha1 of the working directory, the output
 *  state, KEY_ENV's values and the arguments, each followed by a NUL (`printf '%s\0' ... | sha1sum`). */
export function shellKey(argv: readonly string[]): string {
  const h = createHash('sha1');
  for (const a of [process.cwd(), outputState(), ...keyEnv(), ...argv]) h.update(a).update('\0');
  return h.digest('hex');
}

/** The command bin/layoutof runs to compare identities: one line per path that exists. */
const STAT_FORMAT = '%s %.9Y %.9Z %i %d %n';

/** The built tool's own files: a rebuild invalidates every shell entry. The bundle, or the start-up
 *  snapshot made from it, is the whole tool (a build writes both anew); the modules are dist/'s
 *  (or, run from source, src/'s) scripts, the web page's and the declarations aside. */
function toolFiles(): string[] {
  if (tool) return [tool.stamp];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'web') walk(join(dir, e.name));
      } else if (/\.(js|ts|cjs|blob)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(join(dir, e.name));
    }
  };
  try {
    walk(builtTool().dir);
  } catch {
    /* nothing to add */
  }
  return out.sort();
}

/** The executables of the compilers run (as execvp finds them on PATH), with their identities, and
 *  the places searched before each, or all of them for a compiler not found (one installed there
 *  later, the same PATH finds first; a directory named cc there, skipped as execvp does, is there:
 *  an entry with it never answers). */
function compilerStamps(): { stamps: [string, string][]; before: string[] } {
  const stamps: [string, string][] = [];
  const before: string[] = [];
  for (const cc of compilersRun) {
    const exe = findOnPath(cc);
    if (exe) stamps.push([exe.path, exe.id]);
    before.push(...(exe ? exe.before : pathCandidates(cc)));
  }
  return { stamps, before };
}

/** Whether this machine's `stat` prints identities as cachefs.ts renders them (GNU coreutils); if
 *  not, the shell could never match an entry, and none is written. Asked of each `stat` program once
 *  (stat.ok in the cache keeps which one agreed: a spawn costs a small unit's run some 5%). */
function shellStatAgrees(root: string, sample: string): boolean {
  const exe = findOnPath('stat');
  if (!exe) return false;
  const known = `${exe.path} ${exe.id}\n`;
  if (readOwned(join(root, 'stat.ok'), 4096)?.toString('utf8') === known) return true;
  const r = spawnSync(exe.path, ['-L', '-c', STAT_FORMAT, '--', sample], { encoding: 'utf8' });
  const agrees = r.status === 0 && r.stdout === `${identityOf(sample)} ${sample}\n`;
  if (agrees) writeAtomic(root, 'stat.ok', known);
  return agrees;
}

/** Writes the entry bin/layoutof reads without starting Node: a directory sh/KEY with `paths`
 *  (NUL-separated, absolute: the tool's own files, the compilers, the files read, the paths found
 *  absent), `stat` (their identities as stat -L prints them: taken when each file was read, so that
 *  one changed since does not match), the run's `out`, `err`, `rc`, and `used` (its last use). */
function shellStore(root: string, argv: readonly string[], run: CachedRun, e: Entry): number {
  const sh = safeSubdir(join(root, 'sh'), true);
  if (!sh) return 0;
  const tools = toolFiles();
  if (tools.length === 0 || !shellStatAgrees(root, tools[0]!)) return 0;
  const known: [string, string][] = [
    ...tools.flatMap((p): [string, string][] => {
      const id = identityOf(p);
      return id ? [[p, id]] : [];
    }),
    ...e.stamps,
    ...e.files.map(([p, id]): [string, string] => [absolute(p), id]),
  ];
  const paths = [...known.map(([p]) => p), ...e.absent.map(absolute)];
  const final = join(sh, shellKey(argv));
  const tmp = tempName(final);
  const files: [string, string][] = [
    ['paths', paths.map((p) => p + '\0').join('')],
    ['stat', known.map(([p, id]) => `${id} ${p}\n`).join('')],
    ['out', run.stdout],
    ['err', run.stderr],
    ['rc', `${run.code}\n`],
    ['used', ''],
  ];
  mkdirSync(tmp, { mode: 0o700 });
  let placed = false;
  try {
    for (const [f, data] of files) writeNew(join(tmp, f), data);
    // (A new query's entry is renamed into place at once: rmSync's first call costs a new small
    // unit about a millisecond, loading Node's recursive removal.)
    try {
      renameSync(tmp, final);
    } catch {
      rmSync(final, { recursive: true, force: true });
      renameSync(tmp, final);
    }
    placed = true;
  } finally {
    if (!placed) rmSync(tmp, { recursive: true, force: true });
  }
  return files.reduce((n, [, data]) => n + Buffer.byteLength(data), 0);
}

/** `p` absolute and normal, as the shell's `stat` is given it: resolved only when it is not already
 *  (a kernel unit's entry has some 2,400 paths, nearly all so, and path.resolve costs milliseconds). */
function absolute(p: string): string {
  return p.startsWith('/') && !/\/\.{0,2}(?:\/|$)/.test(p) ? p : resolve(p);
}

/** Whether `p` names something now (as `stat -L` would find it), without an identity made for it:
 *  a kernel unit's entry has some 1,600 include-search misses. */
function exists(p: string): boolean {
  return existsSync(p);
}

/** The files of a shell entry (bin/layoutof checks each is a regular file of this user's). */
const SHELL_FILES = ['paths', 'stat', 'out', 'err', 'rc', 'used'];

/** Whether the shell may answer for an entry: only when every file's identity can be trusted alone
 *  (none racy) and nothing was found unreadable (stat would print a line for it, not its absence). */
function shellMayAnswer(e: Entry): boolean {
  return e.files.every(([, , , racy]) => !racy) && !e.absent.some(exists);
}

/** A parsed KEY.json that has exactly the shape written: anything else (corrupt, truncated, from
 *  another version, forged) is discarded and the answer recomputed. */
function validEntry(x: unknown): x is Entry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as { [k: string]: unknown };
  const str = (v: unknown): v is string => typeof v === 'string';
  const tuple = (v: unknown, shape: string): boolean =>
    Array.isArray(v) &&
    v.length === shape.length &&
    v.every((y, i) => typeof y === (shape[i] === 's' ? 'string' : 'boolean'));
  return (
    e.version === VERSION &&
    str(e.stdout) &&
    str(e.stderr) &&
    Number.isInteger(e.code) &&
    (e.code as number) >= 0 &&
    (e.code as number) <= 255 &&
    Array.isArray(e.files) &&
    e.files.every((f) => tuple(f, 'sssb')) &&
    Array.isArray(e.stamps) &&
    e.stamps.every((f) => tuple(f, 'ss')) &&
    Array.isArray(e.absent) &&
    e.absent.every(str)
  );
}

function entryFor(run: CachedRun, files: Iterable<[string, FileId]>, absent: readonly string[]): Entry {
  const cc = compilerStamps();
  return {
    version: VERSION,
    stdout: run.stdout,
    stderr: run.stderr,
    code: run.code,
    files: [...files].map(([p, f]) => [p, f.id, f.sha1, f.racy]),
    stamps: cc.stamps,
    absent: [...absent, ...cc.before, ...compilerMissing],
  };
}

/** The key of a query whose kept answer was found stale because a file it read was edited (as while
 *  a header is being worked on): its new answer gets no shell entry, and the old one is removed, so
 *  that the next run goes straight to Node instead of checking an entry likely stale again. Node's
 *  lookup writes the shell's entry once the query is asked again unchanged. */
let editedKey: string | undefined;

/** The stored run for `key` if every file it read is unchanged, every absent path still absent and
 *  every compiler the same. With `argv`, the shell fast path's entry is rewritten too when it is
 *  missing or a file was found unchanged by content (its identity renewed). */
export function cacheLookup(key: string, argv?: readonly string[]): CachedRun | undefined {
  const root = safeRoot(cacheDir(), false);
  if (!root) return undefined;
  const file = join(root, key + '.json');
  const bytes = readOwned(file, MAX_ENTRY_BYTES, true);
  if (!bytes) return undefined;
  let e: unknown;
  try {
    e = JSON.parse(bytes.toString('utf8'));
  } catch {
    e = undefined;
  }
  if (!validEntry(e)) {
    discard(file);
    return undefined;
  }
  for (const p of e.absent) if (exists(p)) return undefined;
  for (const [p, id] of e.stamps) if (identityOf(p) !== id) return undefined;
  let renewed: [string, FileId][] | undefined;
  for (let i = 0; i < e.files.length; i++) {
    const [p, id, sha1, racy] = e.files[i]!;
    const now = identityOf(p);
    if (now === undefined) return undefined;
    if (now === id && !racy) continue;
    // Changed identity (touched, copied over, rewritten with its old time) or not yet trusted: the
    // contents decide.
    const fresh = now.slice(0, now.indexOf(' ')) === id.slice(0, id.indexOf(' ')) ? hashFile(p) : undefined;
    if (!fresh || fresh.sha1 !== sha1) {
      editedKey = key;
      return undefined;
    }
    renewed ??= e.files.map(([q, qid, qsha, qracy]) => [q, { id: qid, sha1: qsha, racy: qracy }]);
    renewed[i] = [p, fresh];
  }
  let entry: Entry = e;
  if (renewed) {
    entry = { ...e, files: renewed.map(([p, f]) => [p, f.id, f.sha1, f.racy]) };
    try {
      writeAtomic(root, key + '.json', JSON.stringify(entry));
    } catch {
      /* checked by content again next time */
    }
  }
  if (argv && process.platform !== 'win32') {
    const sh = join(root, 'sh', shellKey(argv));
    // (An entry the shell would refuse, one with a link or a FIFO planted in it, is written anew.)
    const have =
      safeSubdir(sh, false) !== undefined &&
      SHELL_FILES.every((f) => isOwnedFile(join(sh, f))) &&
      /^(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\n$/.test(readOwned(join(sh, 'rc'), 16)?.toString() ?? '');
    if ((renewed || !have) && shellMayAnswer(entry)) {
      try {
        grown(root, shellStore(root, argv, entry, entry), [join(root, key + '.json'), sh]);
      } catch {
        /* only slower */
      }
    } else if (have) {
      touchOwned(join(sh, 'used'));
    }
  }
  return { stdout: entry.stdout, stderr: entry.stderr, code: entry.code };
}

/** Removes a cache file found corrupt (it is this user's: readOwned checked). */
function discard(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* recomputed anyway */
  }
}

/** What was read for a query, and what was probed and not found (NodeFileSystem). */
export interface Reads {
  tracked(): ReadonlyMap<string, FileId>;
  absent(): string[];
}

/** Stores a query's run (exit status 0-255) with what it read; a cache that cannot be written, or
 *  may not be used (cachefs.ts), is only slower. */
export function cacheStore(key: string, run: CachedRun, reads: Reads, argv: readonly string[]): void {
  if (!Number.isInteger(run.code) || run.code < 0 || run.code > 255) return;
  try {
    const root = safeRoot(cacheDir(), true);
    if (!root) return;
    const entry = entryFor(run, reads.tracked(), reads.absent());
    const json = JSON.stringify(entry);
    writeAtomic(root, key + '.json', json);
    let bytes = Buffer.byteLength(json);
    const sh = join(root, 'sh', shellKey(argv));
    if (key === editedKey) {
      if (safeSubdir(join(root, 'sh'), false)) rmSync(sh, { recursive: true, force: true });
    } else if (process.platform !== 'win32' && shellMayAnswer(entry)) bytes += shellStore(root, argv, run, entry);
    grown(root, bytes, [join(root, key + '.json'), sh]);
  } catch {
    // A cache that cannot be written is only slower.
  }
}

/** The cache's size bound: past it the least recently used entries go (a whole vmlinux's text is
 *  6 MB, stored twice). LAYOUTOF_CACHE_MAX_MB overrides it. */
function maxBytes(): number {
  const mb = Number(process.env.LAYOUTOF_CACHE_MAX_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 256) * 1024 * 1024;
}

/** The cache's size as prune() last counted it plus what was stored since, kept in a file, so that
 *  a store scans every entry only when the bound may be passed (a cache of thousands of small units'
 *  entries is thousands of lstats). Stores at the same moment may each miss the other's bytes: the
 *  bound is then kept a little late, never an entry lost early. */
const SIZE_FILE = 'size';
function grown(root: string, bytes: number, keep: readonly string[]): void {
  const n = Number(readOwned(join(root, SIZE_FILE), 64)?.toString('utf8') ?? NaN);
  if (Number.isSafeInteger(n) && n >= 0 && n + bytes <= maxBytes()) counted(root, n + bytes);
  else prune(root, keep);
}
function counted(root: string, n: number): void {
  try {
    writeAtomic(root, SIZE_FILE, `${n}\n`);
  } catch {
    /* counted again at the next store */
  }
}

/** Deletes the least recently used entries (by the time they were written or last answered a query),
 *  Node's (KEY.json) and the shell's (sh/KEY/) alike, until what is left fits maxBytes(); never those
 *  in `keep` (the query just stored). Only this user's files are counted or removed. */
function prune(root: string, keep: readonly string[]): void {
  const entries: { path: string; bytes: number; mtime: number }[] = [];
  const lstat = (p: string) => {
    const st = lstatSync(p, { throwIfNoEntry: false });
    return st && ownedByMe(st) ? st : undefined;
  };
  for (const f of readdirSync(root)) {
    if (!f.endsWith('.json')) continue;
    const st = lstat(join(root, f));
    if (st) entries.push({ path: join(root, f), bytes: st.size, mtime: st.mtimeMs });
  }
  const sh = safeSubdir(join(root, 'sh'), false);
  for (const d of sh ? readdirSync(sh) : []) {
    if (!lstat(join(sh!, d))?.isDirectory()) continue;
    let bytes = 0;
    let mtime = -1;
    for (const f of SHELL_FILES) {
      const st = lstat(join(sh!, d, f));
      if (st) bytes += st.size;
      if (st && (f === 'out' || f === 'used')) mtime = Math.max(mtime, st.mtimeMs);
    }
    if (mtime >= 0) entries.push({ path: join(sh!, d), bytes, mtime });
  }
  let total = entries.reduce((a, e) => a + e.bytes, 0);
  const limit = maxBytes();
  entries.sort((a, b) => a.mtime - b.mtime);
  for (const e of entries) {
    if (total <= limit) break;
    if (keep.includes(e.path)) continue;
    rmSync(e.path, { recursive: true, force: true });
    total -= e.bytes;
  }
  counted(root, total);
}

/** Whether the result cache may be used at all (not LAYOUTOF_NO_CACHE, not --no-cache). */
export function cacheEnabled(argv: readonly string[]): boolean {
  // (--counts and --slabinfo read live counts that no recorded file stat can vouch for.)
  return (
    !process.env.LAYOUTOF_NO_CACHE &&
    !argv.includes('--no-cache') &&
    !argv.some((a) => a.startsWith('--counts') || a.startsWith('--slabinfo'))
  );
}

/** Whether a source query's answer is stored: every one the cache may serve. (Each file it read and
 *  each include-search miss is recorded, as for a kernel unit, so an edited or added header is seen;
 *  a small unit such as zlib.h costs Node's start-up several times over, the shell a few stats.) */
export function cacheableArgv(argv: readonly string[]): boolean {
  return cacheEnabled(argv);
}
