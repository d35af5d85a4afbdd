// The Node adapter of the engine's FileSystem interface (the only file access the engine sees).
import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { FileSystem } from '../core/fs.js';

export class NodeFileSystem implements FileSystem {
  private readonly stats = new Map<string, number>(); // 0 missing, 1 file, 2 dir
  private kind(p: string): number {
    let k = this.stats.get(p);
    if (k === undefined) {
      try {
        const s = statSync(p);
        k = s.isFile() ? 1 : s.isDirectory() ? 2 : 0;
      } catch {
        k = 0;
      }
      this.stats.set(p, k);
    }
    return k;
  }
  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'latin1');
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
