// The Node adapter of the engine's FileSystem interface (the only file access the engine sees).
import { closeSync, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import type { ByteSource, FileSystem } from '../core/fs.js';

const POSIX = process.platform !== 'win32';

/** Text files larger than this are not read at all (the preprocessor refuses far smaller ones). */
const MAX_TEXT_BYTES = 1 << 28;

export class NodeFileSystem implements FileSystem {
  private readonly stats = new Map<string, number>(); // 0 missing, 1 file, 2 dir
  /** Files read (as text or bytes), for the result cache. */
  readonly read = new Set<string>();

  /** Paths probed and found missing (an include search miss), for the result cache. */
  absent(): string[] {
    return [...this.stats].filter(([, k]) => k === 0).map(([p]) => p);
  }
  private kind(p: string): number {
    let k = this.stats.get(p);
    if (k === undefined) {
      // Nothing is under a directory that is not there: a kernel unit's 1,500 include-search misses
      // are nearly all in some 60 absent directories (arch/x86/include/linux, ...), one stat each.
      const slash = POSIX ? p.lastIndexOf('/') : -1;
      if (slash > 0 && this.kind(p.slice(0, slash)) !== 2) {
        this.stats.set(p, 0);
        return 0;
      }
      // (No exception for a miss: an include search misses far more often than it hits.)
      try {
        const s = statSync(p, { throwIfNoEntry: false });
        k = s === undefined ? 0 : s.isFile() ? 1 : s.isDirectory() ? 2 : 0;
      } catch {
        k = 0; // ENOTDIR, EACCES...
      }
      this.stats.set(p, k);
    }
    return k;
  }
  /** Read into one scratch buffer that grows as needed (a kernel unit reads some 800 headers: no
   *  buffer, stat object or options object per file). */
  private scratch = Buffer.allocUnsafe(1 << 18);
  readFile(path: string): string | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      let n = 0;
      for (;;) {
        if (n === this.scratch.length) {
          if (n >= MAX_TEXT_BYTES) return undefined; // not a header: "cannot read", not memory to its size
          const bigger = Buffer.allocUnsafe(this.scratch.length * 2);
          this.scratch.copy(bigger, 0, 0, n);
          this.scratch = bigger;
        }
        const got = readSync(fd, this.scratch, n, this.scratch.length - n, null);
        if (got === 0) break;
        n += got;
      }
      const text = this.scratch.toString('latin1', 0, n);
      this.read.add(path);
      return text;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  readBytes(path: string): Uint8Array | undefined {
    try {
      // A plain Uint8Array over the Buffer's bytes: no copy (and none of Buffer's own slice()).
      const b = readFileSync(path);
      this.read.add(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch {
      return undefined;
    }
  }
  /** A binary read by ranges: only the sections read cost memory (a sparse 1.9 GB ELF, a few MB). */
  openBytes(path: string): ByteSource | undefined {
    let size: number;
    try {
      const fd = openSync(path, 'r');
      try {
        const st = fstatSync(fd);
        if (!st.isFile()) return undefined;
        size = st.size;
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
    this.read.add(path);
    return {
      size,
      read(offset: number, length: number): Uint8Array {
        const out = new Uint8Array(length);
        const fd = openSync(path, 'r');
        try {
          for (let n = 0; n < length; ) {
            const got = readSync(fd, out, n, length - n, offset + n);
            if (got === 0) throw new Error(`${path}: shorter than its ${size} bytes (changed while read)`);
            n += got;
          }
        } finally {
          closeSync(fd);
        }
        return out;
      },
    };
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
