// The FileSystem interface the engine reads through. The Node adapter lives in src/cli/; the
// in-memory one here serves tests and the browser. Paths are POSIX-style strings.

/** A file read by ranges (binary inputs: a 2 GB ELF is read by section, not whole). */
export interface ByteSource {
  readonly size: number;
  /** `length` bytes from `offset`, within size. */
  read(offset: number, length: number): Uint8Array;
}

export interface FileSystem {
  /** File contents as text (latin1/utf8 as the adapter decides), or undefined when absent. */
  readFile(path: string): string | undefined;
  /** Raw bytes, for binary inputs. */
  readBytes?(path: string): Uint8Array | undefined;
  /** Raw bytes by ranges, or undefined when absent or unreadable. */
  openBytes?(path: string): ByteSource | undefined;
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Canonical identity of a file (realpath) for #pragma once and include-guard tracking. */
  realPath?(path: string): string;
  /** Why reading `path` failed, in strerror's words ("Permission denied", "not a regular file"). */
  readError?(path: string): string | undefined;
}

export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string | Uint8Array>();
  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [k, v] of Object.entries(files)) this.files.set(normalizePath(k), v);
  }
  set(path: string, contents: string | Uint8Array): void {
    this.files.set(normalizePath(path), contents);
  }
  readFile(path: string): string | undefined {
    const v = this.files.get(normalizePath(path));
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : new TextDecoder('latin1').decode(v);
  }
  readBytes(path: string): Uint8Array | undefined {
    const v = this.files.get(normalizePath(path));
    if (v === undefined) return undefined;
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  }
  openBytes(path: string): ByteSource | undefined {
    const b = this.readBytes(path);
    return b && { size: b.length, read: (o, n) => b.subarray(o, o + n) };
  }
  isFile(path: string): boolean {
    return this.files.has(normalizePath(path));
  }
  isDirectory(path: string): boolean {
    const p = normalizePath(path).replace(/\/$/, '') + '/';
    for (const k of this.files.keys()) if (k.startsWith(p)) return true;
    return false;
  }
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, rel: string): string {
  if (rel.startsWith('/')) return normalizePath(rel);
  if (dir === '' || dir === '.') return normalizePath(rel);
  const p = dir + '/' + rel;
  // (Most joins, an include directory and a header name, need no normalizing: no "//", no "." or
  // ".." segment, no trailing "/". A "/." that starts a hidden name only takes the slow way.)
  return p.includes('//') || p.includes('/.') || p.startsWith('.') || p.endsWith('/') ? normalizePath(p) : p;
}

/** Collapse "." and "a/.." segments and duplicate slashes; keeps a leading "/" or leading "..". */
export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && abs) continue;
    else out.push(seg);
  }
  const s = out.join('/');
  return abs ? '/' + s : s === '' ? '.' : s;
}
