// The Node adapter of the engine's FileSystem interface (the only file access the engine sees).
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { FileSystem } from '../core/fs.js';

export class NodeFileSystem implements FileSystem {
  private readonly stats = new Map<string, number>(); // 0 missing, 1 file, 2 dir
  /** Files read as text, for the result cache. */
  readonly read = new Set<string>();

  /** Paths probed and found missing (an include search miss), for the result cache. */
  absent(): string[] {
    return [...this.stats].filter(([, k]) => k === 0).map(([p]) => p);
  }
  /** Directory listings (entry name -> kind, -1 for a symlink to stat), null for no such directory.
   *  An include search probes the same few directories hundreds of times: one readdir each replaces
   *  a stat per probe. */
  private readonly dirs = new Map<string, Map<string, number> | null>();
  private kind(p: string): number {
    let k = this.stats.get(p);
    if (k === undefined) {
      k = this.kindFromListing(p);
      if (k < 0) {
        try {
          const s = statSync(p);
          k = s.isFile() ? 1 : s.isDirectory() ? 2 : 0;
        } catch {
          k = 0;
        }
      }
      this.stats.set(p, k);
    }
    return k;
  }
  private kindFromListing(p: string): number {
    const slash = p.lastIndexOf('/');
    const name = p.slice(slash + 1);
    if (slash <= 0 || name === '' || name === '.' || name === '..') return -1;
    const dir = p.slice(0, slash);
    let list = this.dirs.get(dir);
    if (list === undefined) {
      list = null;
      try {
        list = new Map();
        for (const e of readdirSync(dir, { withFileTypes: true })) list.set(e.name, e.isFile() ? 1 : e.isDirectory() ? 2 : e.isSymbolicLink() ? -1 : 0);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Missing or not a directory: nothing inside exists. Anything else (permissions): stat instead.
        list = code === 'ENOENT' || code === 'ENOTDIR' ? null : undefined;
      }
      if (list === undefined) return -1;
      this.dirs.set(dir, list);
    }
    if (list === null) return 0;
    return list.get(name) ?? 0;
  }
  readFile(path: string): string | undefined {
    try {
      const text = readFileSync(path, 'latin1');
      this.read.add(path);
      return text;
    } catch {
      return undefined;
    }
  }
  readBytes(path: string): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(path));
    } catch {
      return undefined;
    }
  }
  isFile(path: string): boolean {
    return this.kind(path) === 1;
  }
  isDirectory(path: string): boolean {
    return this.kind(path) === 2;
  }
  realPath(path: string): string {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  }
}
