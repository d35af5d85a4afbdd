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

interface CachedFile {
  /** The file's identity when scanned; '' when it was too new to be trusted (scanned again). */
  readonly id: string;
  /** The names it defines, each followed by a space (searched without parsing `defs`). */
  readonly names: string;
  /** Its definitions as JSON text: parsed only for a file that defines a name asked for (the
   *  index is read by every query; thousands of files' objects would cost more than the check). */
  readonly defs: string;
}

/** What a file defines: the names, and the definitions parsed on demand. */
export class FileDefs {
  constructor(private readonly kept: CachedFile) {}
  /** The distinct names defined. */
  names(): string[] {
    return [...new Set(this.kept.names.split(' ').slice(0, -1))];
  }
  defines(name: string): boolean {
    return this.kept.names.startsWith(`${name} `) || this.kept.names.includes(` ${name} `);
  }
  defs(): readonly Definition[] {
    return JSON.parse(this.kept.defs) as Definition[];
  }
}

interface CachedDir {
  readonly id: string;
  /** The entries walked, in walk order: subdirectories end in '/', the rest are .h files. */
  readonly entries: readonly string[];
}

interface IndexDoc {
  version: number;
  dirs: Record<string, CachedDir>;
  files: Record<string, CachedFile>;
}

const INDEX_VERSION = 4;

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
function tooNew(st: Stats, nowMs: number): boolean {
  return st.ctimeMs + (st.ctimeMs % 1000 === 0 ? 2000 : 20) > nowMs;
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
    this.keep[d] = { id: tooNew(st, Date.now()) ? '' : id, entries };
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
  const empty: IndexDoc = { version: INDEX_VERSION, dirs: {}, files: {} };
  if (!dir) return { dir, key, old: empty };
  const buf = readOwned(join(dir, `${key}.json`), 1 << 28);
  try {
    const doc = buf ? (JSON.parse(buf.toString('utf8')) as IndexDoc) : undefined;
    return { dir, key, old: doc?.version === INDEX_VERSION && doc.dirs && doc.files ? doc : empty };
  } catch {
    return { dir, key, old: empty };
  }
}

/** The definitions of every file in `files`, from the index where a file is unchanged, scanned
 *  otherwise; the index (with `memo`'s listings) is rewritten when anything changed. `stats` says
 *  what was reused and scanned. */
export function indexFiles(
  index: TreeIndex,
  files: readonly string[],
  memo: DirMemo,
  stats?: { scanned: number; reused: number; ms: number },
): Map<string, FileDefs> {
  const t0 = Date.now();
  const old = index.old.files;
  const out = new Map<string, FileDefs>();
  const keep: Record<string, CachedFile> = {};
  let scanned = 0;
  for (const f of files) {
    const st = statOf(f);
    if (!st?.isFile()) continue;
    const id = idOf(st);
    const prev = old[f];
    if (prev && prev.id !== '' && prev.id === id) {
      out.set(f, new FileDefs(prev));
      keep[f] = prev;
      continue;
    }
    let text: string;
    try {
      text = readFileSync(f, 'latin1');
    } catch {
      continue;
    }
    const defs = scanDefinitions(text);
    scanned++;
    const kept = {
      id: tooNew(st, Date.now()) ? '' : id,
      names: defs.map((d) => `${d.name} `).join(''),
      defs: JSON.stringify(defs),
    };
    out.set(f, new FileDefs(kept));
    keep[f] = kept;
  }
  // (The walk read no listing and used as many as were kept: the same ones.)
  const changed =
    scanned > 0 ||
    memo.read > 0 ||
    Object.keys(old).length !== Object.keys(keep).length ||
    Object.keys(index.old.dirs).length !== Object.keys(memo.keep).length;
  if (index.dir && changed) {
    try {
      const doc: IndexDoc = { version: INDEX_VERSION, dirs: memo.keep, files: keep };
      writeAtomic(index.dir, `${index.key}.json`, JSON.stringify(doc));
    } catch {
      /* an index that cannot be kept is built again next time */
    }
  }
  if (stats) Object.assign(stats, { scanned, reused: files.length - scanned, ms: Date.now() - t0 });
  return out;
}
