// The on-disk index of a tree's definitions (by-name lookup), and the check that it is fresh.
// Never stale, and cheap when nothing changed: when every directory walked last time has the same
// identity (creating, removing or renaming an entry changes a directory's times), the tree's files
// are the ones kept, and each is checked by a plain stat (an edit changes the file's own times, not
// its directory's) against its kept identity, as numbers, in place.

import { readdirSync, readFileSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { scanDefinitions, type Definition } from '../kernel/index-scan.js';
import { readOwned, safeRoot, safeSubdir, writeAtomic } from './cachefs.js';
import { cacheDir } from './cache.js';

/** Numbers in an identity: size, modification and change times (ms, as Node gives them), inode,
 *  device. Kept as doubles and compared with a stat's own: no string made per file. */
const ID = 5;
/** The size slot of what is no file (no directory, for a directory): gone, a dangling link, a loop. */
const NONE = -1;
/** The first double of the file: a file written with another byte order is not read as this one's. */
const PROBE = 1.5;
const MAGIC = 'LAYOUTOF-INDEX 6\n';

/** `p`'s stat (following symlinks), or undefined when there is none to be had (gone, a symlink
 *  loop, a component no longer a directory, no permission): such a path counts as absent. */
function statOf(p: string): Stats | undefined {
  try {
    return statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Whether a change at `ctimeMs` is so recent that one within the same timestamp tick could follow
 *  unseen (a whole-second ctime: a coarse filesystem); such an identity is kept as untrusted. */
function tooNew(ctimeMs: number, nowMs: number): boolean {
  return ctimeMs + (ctimeMs % 1000 === 0 ? 2000 : 20) > nowMs;
}

/** Writes `st`'s identity at `ids[k]`: NONE when it is not of the kind wanted, NaN (equal to
 *  nothing: looked at again next time) when too new to trust. */
function putId(ids: number[], st: Stats | undefined, dir: boolean, trusted: boolean): void {
  if (!st || !(dir ? st.isDirectory() : st.isFile())) ids.push(NONE, 0, 0, 0, 0);
  else ids.push(trusted ? st.size : NaN, st.mtimeMs, st.ctimeMs, st.ino, st.dev);
}

function sameId(st: Stats | undefined, ids: Float64Array, k: number, dir: boolean): boolean {
  if (!st || !(dir ? st.isDirectory() : st.isFile())) return ids[k] === NONE;
  return (
    st.size === ids[k] &&
    st.mtimeMs === ids[k + 1] &&
    st.ctimeMs === ids[k + 2] &&
    st.ino === ids[k + 3] &&
    st.dev === ids[k + 4]
  );
}

/** Whether every path of `lines` (one a line) stats as `ids` says, in order. */
function allSame(lines: string, ids: Float64Array, dir: boolean): boolean {
  let k = 0;
  for (let at = 0; at < lines.length; k += ID) {
    const end = lines.indexOf('\n', at);
    if (!sameId(statOf(lines.slice(at, end)), ids, k, dir)) return false;
    at = end + 1;
  }
  return true;
}

/** How many lines `col` has (each ends in a newline: a column that does not is not one). */
function lineCount(col: string): number {
  if (col !== '' && !col.endsWith('\n')) return -1;
  let n = 0;
  for (let i = col.indexOf('\n'); i >= 0; i = col.indexOf('\n', i + 1)) n++;
  return n;
}

/** The lines of `col` numbered in `want` (ascending), by number. */
function linesAt(col: string, want: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  let at = 0;
  let line = 0;
  for (const w of want) {
    for (; line < w; line++) at = col.indexOf('\n', at) + 1;
    out.set(w, col.slice(at, col.indexOf('\n', at)));
  }
  return out;
}

const split = (col: string): string[] => col.split('\n').slice(0, -1);

/** What the tree's files define: columns of lines (line i of each is file i, in walk order), four
 *  strings rather than thousands of objects; `defs` (JSON a line) is decoded only when asked. */
export class TreeDefs {
  constructor(
    private readonly paths: string,
    private readonly namesCol: string,
    private readonly defs: () => string,
  ) {}
  /** The distinct names defined anywhere. */
  names(): string[] {
    return [...new Set(this.namesCol.split(/[ \n]/).filter((n) => n !== ''))];
  }
  /** Every definition of each of `names`, with its file, in the files' order. */
  sites(names: readonly string[]): Map<string, (Definition & { file: string })[]> {
    const col = this.namesCol;
    const hits = new Set<number>();
    for (const n of names) {
      for (let at = col.indexOf(`${n} `); at >= 0; at = col.indexOf(`${n} `, at + 1)) {
        if (at > 0 && col[at - 1] !== ' ' && col[at - 1] !== '\n') continue;
        let line = 0;
        for (let i = col.indexOf('\n'); i >= 0 && i < at; i = col.indexOf('\n', i + 1)) line++;
        hits.add(line);
      }
    }
    const lines = [...hits].sort((x, y) => x - y);
    const paths = linesAt(this.paths, lines);
    const defs = linesAt(lines.length ? this.defs() : '', lines);
    const want = new Set(names);
    const out = new Map<string, (Definition & { file: string })[]>(names.map((n) => [n, []]));
    for (const l of lines)
      for (const d of JSON.parse(defs.get(l)!) as Definition[])
        if (want.has(d.name)) out.get(d.name)!.push({ ...d, file: paths.get(l)! });
    return out;
  }
}

/** An index as kept: the directories walked and the files found, each with its identity. */
interface Kept {
  /** What the file list was made from (Tree's `list`): the kept files stand only for the same. */
  readonly list: string;
  readonly dirPaths: string;
  readonly dirIds: Float64Array;
  /** Each directory's entries in walk order (subdirectories end in '/'), parsed when needed. */
  readonly dirEntries: () => unknown;
  readonly paths: string;
  readonly ids: Float64Array;
  readonly names: string;
  readonly defs: () => string;
}

/** A kept index's contents, or undefined when it is not one this build wrote whole. Layout: MAGIC, a
 *  JSON line (counts and byte lengths), spaces to a multiple of 8, the identities as doubles
 *  (PROBE, the directories', the files'), then the text columns. */
function parseKept(buf: Buffer): Kept | undefined {
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const nl = buf.indexOf(10, MAGIC.length);
  if (nl < 0) return undefined;
  const head = JSON.parse(buf.toString('utf8', MAGIC.length, nl)) as {
    list: string;
    nd: number;
    nf: number;
    text: number[];
  };
  const count = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
  if (typeof head?.list !== 'string' || !count(head.nd) || !count(head.nf)) return undefined;
  if (!Array.isArray(head.text) || head.text.length !== 5 || !head.text.every(count)) return undefined;
  const { nd, nf } = head;
  let at = (nl + 8) & ~7;
  const floats = 1 + (nd + nf) * ID;
  if (at + floats * 8 + head.text.reduce((a, b) => a + b, 0) !== buf.length) return undefined;
  const base = buf.byteOffset + at;
  const all =
    base % 8 === 0
      ? new Float64Array(buf.buffer, base, floats)
      : new Float64Array(buf.buffer.slice(base, base + floats * 8));
  if (all[0] !== PROBE) return undefined;
  at += floats * 8;
  const text = head.text.map((len) => [at, (at += len)] as const);
  const utf8 = (i: number): string => buf.toString('utf8', text[i]![0], text[i]![1]);
  const lazy = <T>(make: () => T): (() => T) => {
    let v: T | undefined;
    return () => (v ??= make());
  };
  const [dirPaths, paths, names, defs] = [utf8(0), utf8(2), utf8(3), utf8(4)];
  // (String searches: a Buffer's indexOf costs a call into C++ each.)
  if ([paths, names, defs].some((c) => lineCount(c) !== nf) || lineCount(dirPaths) !== nd) return undefined;
  return {
    list: head.list,
    dirPaths,
    dirIds: all.subarray(1, 1 + nd * ID),
    dirEntries: lazy(() => JSON.parse(utf8(1)) as unknown),
    paths,
    ids: all.subarray(1 + nd * ID),
    names,
    defs: () => defs,
  };
}

interface CachedDir {
  readonly id: readonly number[];
  /** The entries walked, in walk order: subdirectories end in '/', the rest are .h files. */
  readonly entries: readonly string[];
}

/** The walk of a tree's directories, reusing the listings an index kept; `keep` gets the listings
 *  to keep (a path that is no directory too, so that its appearing is seen). */
export class DirMemo {
  readonly keep = new Map<string, CachedDir>();
  /** How many listings were read (not reused). */
  read = 0;
  private readonly old = new Map<string, { k: number; entries: readonly string[] }>();
  constructor(private readonly kept?: Kept) {
    if (!kept) return;
    let lists: unknown;
    try {
      lists = kept.dirEntries();
    } catch {
      return;
    }
    const dirs = split(kept.dirPaths);
    if (!Array.isArray(lists) || lists.length !== dirs.length) return;
    dirs.forEach((d, i) => {
      const e = lists[i] as unknown;
      if (Array.isArray(e) && e.every((x) => typeof x === 'string')) this.old.set(d, { k: i * ID, entries: e });
    });
  }

  /** The walk order of `d`'s entries (subdirectories marked by a trailing '/'), or undefined when
   *  `d` is no directory. */
  entries(d: string): readonly string[] | undefined {
    const st = statOf(d);
    const id: number[] = [];
    if (!st?.isDirectory()) {
      putId(id, undefined, true, true);
      this.keep.set(d, { id, entries: [] });
      return undefined;
    }
    const prev = this.old.get(d);
    if (prev && sameId(st, this.kept!.dirIds, prev.k, true)) {
      putId(id, st, true, true);
      this.keep.set(d, { id, entries: prev.entries });
      return prev.entries;
    }
    let list;
    try {
      list = readdirSync(d, { withFileTypes: true });
    } catch {
      // (Kept as untrusted: whatever the failure was, the next query lists it again.)
      putId(id, st, true, false);
      this.keep.set(d, { id, entries: [] });
      return undefined;
    }
    const entries: string[] = [];
    for (const e of list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      // (A name with a newline is left out: no `#include` can name it, and the index is lines.)
      if (e.name.includes('\n')) continue;
      if (e.isDirectory()) entries.push(`${e.name}/`);
      else if (e.name.endsWith('.h') && (e.isFile() || e.isSymbolicLink())) entries.push(e.name);
    }
    this.read++;
    putId(id, st, true, !tooNew(st.ctimeMs, Date.now()));
    this.keep.set(d, { id, entries });
    return entries;
  }
}

/** Every .h under `dir` (recursively), sorted; directories named in `skip` (at the top) left out. */
export function headersUnder(dir: string, skip: ReadonlySet<string> = new Set(), memo = new DirMemo()): string[] {
  const out: string[] = [];
  // (Paths joined by hand: path.join's normalising of thousands of paths shows in a query's time.)
  const walk = (d: string, top: boolean): void => {
    const at = d === '/' ? d : `${d}/`;
    for (const e of memo.entries(d) ?? []) {
      if (!e.endsWith('/')) out.push(at + e);
      else if (!(top && skip.has(e.slice(0, -1)))) walk(at + e.slice(0, -1), false);
    }
  };
  const root = resolve(dir);
  if (!root.includes('\n')) walk(root, true);
  return out;
}

/** Where a tree's index is kept, and what it held (undefined when nothing usable was kept). */
export interface TreeIndex {
  readonly dir: string | undefined;
  readonly key: string;
  readonly old: Kept | undefined;
}

/** The name of the index of `roots` in a format (the format before this one named it by 5). */
function indexKey(format: string | number, roots: readonly string[]): string {
  return createHash('sha1')
    .update(JSON.stringify([format, ...roots]))
    .digest('hex')
    .slice(0, 24);
}

/** The kept index of the tree `roots` name (none when `useCache` is false). */
export function openIndex(roots: readonly string[], useCache: boolean): TreeIndex {
  const key = indexKey(MAGIC, roots);
  const root = useCache ? safeRoot(cacheDir(), true) : undefined;
  const dir = root ? safeSubdir(join(root, 'index'), true) : undefined;
  if (!dir) return { dir, key, old: undefined };
  const buf = readOwned(join(dir, `${key}.idx`), 1 << 28);
  // (The previous format's index of the same tree, 2-3 MB for a kernel's, goes with the first query.)
  if (!buf) {
    try {
      unlinkSync(join(dir, `${indexKey(5, roots)}.json`));
    } catch {
      /* none */
    }
  }
  try {
    return { dir, key, old: buf ? parseKept(buf) : undefined };
  } catch {
    return { dir, key, old: undefined };
  }
}

/** A tree's file list: `files` walks its directories through `memo`; `list` says what else the
 *  list depends on (its roots, its order), so that kept files stand for it only while it is equal. */
export interface TreeList {
  readonly list: string;
  files(memo: DirMemo): string[];
}

/** What was reused and scanned (the benchmark's and the tests' view). */
export interface IndexStats {
  /** Whether the kept index was fresh as it stood (no walk, nothing written). */
  fresh: boolean;
  scanned: number;
  reused: number;
  /** Directory listings reused. */
  listed: number;
}

/** What the tree's files define: the kept index when every directory and file it names is as it
 *  was; else the tree walked again (reusing unchanged listings), the files that changed scanned,
 *  and the index rewritten. */
export function treeDefs(
  index: TreeIndex,
  tree: TreeList,
  stats?: IndexStats,
  progress?: (total: number) => (done: number) => void,
): TreeDefs {
  const old = index.old;
  if (old && old.list === tree.list && allSame(old.dirPaths, old.dirIds, true) && allSame(old.paths, old.ids, false)) {
    if (stats)
      Object.assign(stats, { fresh: true, scanned: 0, reused: old.ids.length / ID, listed: old.dirIds.length / ID });
    return new TreeDefs(old.paths, old.names, old.defs);
  }
  const memo = new DirMemo(old);
  const files = [...new Set(tree.files(memo).filter((f) => !f.includes('\n')))];
  const oldAt = new Map(old ? split(old.paths).map((f, i) => [f, i]) : []);
  const [oldNames, oldDefs] = old ? [split(old.names), split(old.defs())] : [[], []];
  const ids: number[] = [];
  const names: string[] = [];
  const defs: string[] = [];
  let scanned = 0;
  const step = progress?.(files.length);
  let done = 0;
  for (const f of files) {
    step?.(done++);
    const st = statOf(f);
    const i = oldAt.get(f);
    if (!st?.isFile()) {
      putId(ids, undefined, false, true);
      names.push('');
      defs.push('[]');
    } else if (i !== undefined && sameId(st, old!.ids, i * ID, false)) {
      putId(ids, st, false, true);
      names.push(oldNames[i]!);
      defs.push(oldDefs[i]!);
    } else {
      let found: Definition[] = [];
      let read = true;
      try {
        found = scanDefinitions(readFileSync(f, 'latin1'));
      } catch {
        read = false; // (unreadable now: looked at again next time)
      }
      scanned++;
      // (The identity is the one taken before reading: a change since shows next time.)
      putId(ids, st, false, read && !tooNew(st.ctimeMs, Date.now()));
      names.push(found.map((d) => `${d.name} `).join(''));
      defs.push(JSON.stringify(found));
    }
  }
  step?.(files.length);
  const column = (c: readonly string[]): string => c.map((l) => `${l}\n`).join('');
  const [paths, nameCol, defCol] = [column(files), column(names), column(defs)];
  if (index.dir) keepIndex(index, tree.list, memo, paths, ids, nameCol, defCol);
  if (stats) {
    const listed = memo.keep.size - memo.read;
    Object.assign(stats, { fresh: false, scanned, reused: files.length - scanned, listed });
  }
  return new TreeDefs(paths, nameCol, () => defCol);
}

function keepIndex(
  index: TreeIndex,
  list: string,
  memo: DirMemo,
  paths: string,
  ids: readonly number[],
  names: string,
  defs: string,
): void {
  const dirs = [...memo.keep];
  const text = [
    dirs.map(([d]) => `${d}\n`).join(''),
    JSON.stringify(dirs.map(([, c]) => c.entries)),
    paths,
    names,
    defs,
  ].map((t) => Buffer.from(t, 'utf8'));
  const nf = ids.length / ID;
  const head = `${MAGIC}${JSON.stringify({ list, nd: dirs.length, nf, text: text.map((t) => t.length) })}\n`;
  const start = (Buffer.byteLength(head) + 7) & ~7;
  const floats = new Float64Array([PROBE, ...dirs.flatMap(([, c]) => c.id), ...ids]);
  const out = Buffer.alloc(start + floats.byteLength + text.reduce((a, t) => a + t.length, 0), ' ');
  out.write(head, 0, 'utf8');
  Buffer.from(floats.buffer).copy(out, start);
  let at = start + floats.byteLength;
  for (const t of text) at += t.copy(out, at);
  try {
    writeAtomic(index.dir!, `${index.key}.idx`, out);
  } catch {
    /* an index that cannot be kept is built again next time */
  }
}
