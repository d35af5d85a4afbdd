// The on-disk index of a tree's definitions (by-name lookup), and the check that it is fresh.
// Never stale, and cheap when nothing changed: a directory's listing is reused while the directory's
// identity is unchanged (creating, removing or renaming an entry changes its mtime), and every file
// is checked by a plain stat (an edit changes the file's own times, not its directory's).

import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { scanDefinitions, type Definition } from '../kernel/index-scan.js';
import { readOwned, safeRoot, safeSubdir, writeAtomic } from './cachefs.js';
import { cacheDir } from './cache.js';

/** The tree's files and what each defines, as columns of lines (line i of each is file i, in walk
 *  order): four strings, not thousands of objects, which every query would parse and collect. A
 *  path with a newline is left out (no `#include` can name it). */
interface Columns {
  /** Each file's path. */
  readonly paths: string;
  /** Its identity when scanned; empty when it was too new to be trusted (scanned again). */
  readonly ids: string;
  /** The names it defines, each followed by a space (searched without parsing `defs`). */
  readonly names: string;
  /** Its definitions as JSON text, parsed only for a file that defines a name asked for. */
  readonly defs: string;
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

/** What the tree's files define. */
export class TreeDefs {
  constructor(private readonly cols: Omit<Columns, 'ids'>) {}
  /** The distinct names defined anywhere. */
  names(): string[] {
    return [...new Set(this.cols.names.split(/[ \n]/).filter((n) => n !== ''))];
  }
  /** Every definition of each of `names`, with its file, in the files' order. */
  sites(names: readonly string[]): Map<string, (Definition & { file: string })[]> {
    const col = this.cols.names;
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
    const paths = linesAt(this.cols.paths, lines);
    const defs = linesAt(this.cols.defs, lines);
    const want = new Set(names);
    const out = new Map<string, (Definition & { file: string })[]>(names.map((n) => [n, []]));
    for (const l of lines)
      for (const d of JSON.parse(defs.get(l)!) as Definition[])
        if (want.has(d.name)) out.get(d.name)!.push({ ...d, file: paths.get(l)! });
    return out;
  }
}

interface CachedDir {
  readonly id: string;
  /** The entries walked, in walk order: subdirectories end in '/', the rest are .h files. */
  readonly entries: readonly string[];
}

interface IndexDoc extends Columns {
  version: number;
  dirs: Record<string, CachedDir>;
}

const INDEX_VERSION = 5;

/** A file's identity from a plain stat (size, times to the microsecond, inode, device): a BigInt
 *  stat costs more, and the kernel's timestamp clock ticks far slower than a microsecond. (Whole
 *  microseconds: an integer prints faster than a fraction, over thousands of files.) */
function idOf(st: Stats): string {
  return `${st.size} ${Math.floor(st.mtimeMs * 1000)} ${Math.floor(st.ctimeMs * 1000)} ${st.ino} ${st.dev}`;
}

/** `p`'s stat (following symlinks), or undefined when there is none to be had (gone, a symlink
 *  loop, a component no longer a directory, no permission): such a path is left out, never fatal. */
function statOf(p: string): Stats | undefined {
  try {
    return statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Whether `st` changed so recently that a change within the same timestamp tick could follow
 *  unseen (a whole-second ctime: a coarse filesystem); such an identity is not kept. */
function tooNew(ctimeMs: number, nowMs: number): boolean {
  return ctimeMs + (ctimeMs % 1000 === 0 ? 2000 : 20) > nowMs;
}

/** The walk of a tree's directories, reusing the listings an index kept; `keep` gets the listings
 *  to keep. */
export class DirMemo {
  readonly keep: Record<string, CachedDir> = {};
  /** How many listings were read (not reused). */
  read = 0;
  constructor(private readonly old: Readonly<Record<string, CachedDir>> = {}) {}

  /** The walk order of `d`'s entries (subdirectories marked by a trailing '/'), or undefined when
   *  `d` is no directory. */
  entries(d: string): readonly string[] | undefined {
    const st = statOf(d);
    if (!st?.isDirectory()) return undefined;
    const id = idOf(st);
    const prev = this.old[d];
    if (prev && prev.id !== '' && prev.id === id) return (this.keep[d] = prev).entries;
    let list;
    try {
      list = readdirSync(d, { withFileTypes: true });
    } catch {
      return undefined;
    }
    const entries: string[] = [];
    for (const e of list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory()) entries.push(`${e.name}/`);
      else if (e.name.endsWith('.h') && (e.isFile() || e.isSymbolicLink())) entries.push(e.name);
    }
    this.read++;
    this.keep[d] = { id: tooNew(st.ctimeMs, Date.now()) ? '' : id, entries };
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
  walk(resolve(dir), true);
  return out;
}

/** Where a tree's index is kept, and what it held (empty when nothing usable was kept). */
export interface TreeIndex {
  readonly dir: string | undefined;
  readonly key: string;
  readonly old: IndexDoc;
}

/** The kept index of the tree `roots` name (none when `useCache` is false). */
export function openIndex(roots: readonly string[], useCache: boolean): TreeIndex {
  const key = createHash('sha1')
    .update(JSON.stringify([INDEX_VERSION, ...roots]))
    .digest('hex')
    .slice(0, 24);
  const root = useCache ? safeRoot(cacheDir(), true) : undefined;
  const dir = root ? safeSubdir(join(root, 'index'), true) : undefined;
  const empty: IndexDoc = { version: INDEX_VERSION, dirs: {}, paths: '', ids: '', names: '', defs: '' };
  if (!dir) return { dir, key, old: empty };
  const buf = readOwned(join(dir, `${key}.json`), 1 << 28);
  try {
    const doc = buf ? (JSON.parse(buf.toString('utf8')) as IndexDoc) : undefined;
    const cols = doc ? [doc.paths, doc.ids, doc.names, doc.defs] : [];
    const ok =
      doc?.version === INDEX_VERSION &&
      typeof doc.dirs === 'object' &&
      doc.dirs !== null &&
      cols.every((c) => typeof c === 'string') &&
      cols.every((c) => lineCount(c) === lineCount(doc.paths));
    return { dir, key, old: ok ? doc : empty };
  } catch {
    return { dir, key, old: empty };
  }
}

/** What every file in `files` defines: from the index where a file is unchanged, scanned otherwise;
 *  the index (with `memo`'s listings) is rewritten when anything changed. `stats` says what was
 *  reused and scanned. */
export function indexFiles(
  index: TreeIndex,
  files: readonly string[],
  memo: DirMemo,
  stats?: { scanned: number; reused: number; ms: number },
): TreeDefs {
  const t0 = Date.now();
  const old = index.old;
  // The usual case, nothing changed: each file is line i of the kept columns with the same
  // identity, compared in place (no line split out, no object made).
  files = files.length === new Set(files).size ? files : [...new Set(files)];
  const ids: (string | undefined)[] = [];
  const ctimes: number[] = [];
  let same = true;
  let p = 0;
  let q = 0;
  for (const f of files) {
    const st = f.includes('\n') ? undefined : statOf(f);
    const id = st?.isFile() ? idOf(st) : undefined;
    ids.push(id);
    ctimes.push(st?.ctimeMs ?? 0);
    if (!same) continue;
    if (
      id === undefined ||
      !old.paths.startsWith(f, p) ||
      old.paths.charCodeAt(p + f.length) !== 10 ||
      !old.ids.startsWith(id, q) ||
      old.ids.charCodeAt(q + id.length) !== 10
    )
      same = false;
    p += f.length + 1;
    q += id === undefined ? 0 : id.length + 1;
  }
  if (same && p === old.paths.length) {
    if (index.dir && (memo.read > 0 || Object.keys(old.dirs).length !== Object.keys(memo.keep).length))
      keepIndex(index, { ...old, dirs: memo.keep });
    if (stats) Object.assign(stats, { scanned: 0, reused: files.length, ms: Date.now() - t0 });
    return new TreeDefs(old);
  }
  // Something changed: the kept lines by path, each file reused or scanned, the columns rebuilt.
  const split = (c: string): string[] => c.split('\n').slice(0, -1);
  const [oldPaths, oldIds, oldNames, oldDefs] = [old.paths, old.ids, old.names, old.defs].map(split);
  const at = new Map(oldPaths!.map((f, i) => [f, i]));
  const cols = { paths: [] as string[], ids: [] as string[], names: [] as string[], defs: [] as string[] };
  let scanned = 0;
  files.forEach((f, j) => {
    const id = ids[j];
    if (id === undefined) return;
    const i = at.get(f);
    let names: string;
    let defs: string;
    let keepId = id;
    if (i !== undefined && oldIds![i] !== '' && oldIds![i] === id) [names, defs] = [oldNames![i]!, oldDefs![i]!];
    else {
      let text: string;
      try {
        text = readFileSync(f, 'latin1');
      } catch {
        return;
      }
      const found = scanDefinitions(text);
      scanned++;
      names = found.map((d) => `${d.name} `).join('');
      defs = JSON.stringify(found);
      // (The identity is the one taken before reading: a change since shows next time.)
      if (tooNew(ctimes[j]!, Date.now())) keepId = '';
    }
    cols.paths.push(f);
    cols.ids.push(keepId);
    cols.names.push(names);
    cols.defs.push(defs);
  });
  const column = (c: string[]): string => c.map((l) => `${l}\n`).join('');
  const now = {
    paths: column(cols.paths),
    ids: column(cols.ids),
    names: column(cols.names),
    defs: column(cols.defs),
  };
  if (index.dir) keepIndex(index, { version: INDEX_VERSION, dirs: memo.keep, ...now });
  if (stats) Object.assign(stats, { scanned, reused: files.length - scanned, ms: Date.now() - t0 });
  return new TreeDefs(now);
}

function keepIndex(index: TreeIndex, doc: IndexDoc): void {
  try {
    writeAtomic(index.dir!, `${index.key}.json`, JSON.stringify(doc));
  } catch {
    /* an index that cannot be kept is built again next time */
  }
}
