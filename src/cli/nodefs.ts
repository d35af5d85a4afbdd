// The Node adapter of the engine's FileSystem interface (the only file access the engine sees).
// Only regular files are read: a FIFO, socket or device is refused without blocking (it is opened
// O_NONBLOCK and checked with fstat: a FIFO without a writer would block forever, /dev/zero never
// ends), and why a path could not be read is kept for the message (readError).
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
  type BigIntStats,
} from 'node:fs';
import type { ByteSource, FileSystem } from '../core/fs.js';
import { fileId, hashFile } from './cachefs.js';

/** What the result cache keeps of a file read (declared here, not in cachefs.ts, so that the package's
 *  public types for NodeFileSystem need no Node type declarations). */
export interface FileId {
  readonly id: string;
  readonly sha1: string;
  readonly racy: boolean;
}

/** The questions notRegular asks of a stat result (structural, for the same reason). */
export interface FileKind {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}

const POSIX = process.platform !== 'win32';
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Text files larger than this are not read at all (the preprocessor refuses far smaller ones). */
const MAX_TEXT_BYTES = 1 << 28;

const enum Kind {
  Missing = 0,
  File = 1,
  Dir = 2,
  /** A FIFO, socket or device: found (gcc would open it, and stop its search there), never read. */
  Other = 3,
}

/** What a path is when it is not a regular file, for messages. */
export function notRegular(st: FileKind): string {
  if (st.isDirectory()) return 'Is a directory';
  const what = st.isFIFO()
    ? 'a FIFO'
    : st.isCharacterDevice()
      ? 'a character device'
      : st.isBlockDevice()
        ? 'a block device'
        : st.isSocket()
          ? 'a socket'
          : 'not a file';
  return `not a regular file (${what})`;
}

/** strerror's words for the errors an open or stat gives. */
function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'ELOOP':
      return 'Too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'File name too long';
    case 'ENXIO':
    case 'ENODEV':
      return 'not a regular file (a device)';
    default:
      return `cannot read (${code ?? String(e)})`;
  }
}

export class NodeFileSystem implements FileSystem {
  private readonly stats = new Map<string, Kind>();
  /** Files read (as text or bytes), for the result cache. */
  readonly read = new Set<string>();
  /** Why a path could not be read (a path found, then refused or unreadable). */
  private readonly why = new Map<string, string>();
  /** With `track` (the result cache is on), each file read's identity and content hash, taken as it
   *  is read: a file changed during the run is then seen as changed at the next lookup. */
  private readonly track: boolean;
  private readonly ids = new Map<string, FileId>();
  private lastStat: BigIntStats | undefined;
  constructor(opts: { track?: boolean } = {}) {
    this.track = opts.track ?? false;
  }
  /** The files read, with what the result cache keeps of each (when tracking). */
  tracked(): ReadonlyMap<string, FileId> {
    return this.ids;
  }

  /** Paths probed and found missing (an include search miss), and paths found but not readable, for
   *  the result cache: its answer holds only while they stay so (cache.ts treats both as absent). */
  absent(): string[] {
    return [...[...this.stats].filter(([, k]) => k === Kind.Missing).map(([p]) => p), ...this.why.keys()];
  }
  private kind(p: string): Kind {
    let k = this.stats.get(p);
    if (k === undefined) {
      // Nothing is under a directory that is not there: a kernel unit's 1,500 include-search misses
      // are nearly all in some 60 absent directories (arch/x86/include/linux, ...), one stat each.
      const slash = POSIX ? p.lastIndexOf('/') : -1;
      if (slash > 0 && this.kind(p.slice(0, slash)) !== Kind.Dir) {
        this.stats.set(p, Kind.Missing);
        return Kind.Missing;
      }
      // (No exception for a miss: an include search misses far more often than it hits.)
      try {
        const s = statSync(p, { throwIfNoEntry: false });
        k = s === undefined ? Kind.Missing : s.isFile() ? Kind.File : s.isDirectory() ? Kind.Dir : Kind.Other;
      } catch {
        k = Kind.Missing; // ENOTDIR, EACCES...
      }
      this.stats.set(p, k);
    }
    return k;
  }
  /** A descriptor of `path` if it is a regular file that can be read; else undefined, and why is kept. */
  private openRegular(path: string): number | undefined {
    let fd: number;
    try {
      fd = openSync(path, OPEN_FLAGS);
    } catch (e) {
      this.why.set(path, errnoText(e));
      return undefined;
    }
    try {
      const st = this.track ? fstatSync(fd, { bigint: true }) : fstatSync(fd);
      if (st.isFile()) {
        if (this.track) this.lastStat = st as BigIntStats;
        return fd;
      }
      this.why.set(path, notRegular(st));
    } catch (e) {
      this.why.set(path, errnoText(e));
    }
    closeSync(fd);
    return undefined;
  }
  /** Why `path` cannot be read as an input ("No such file or directory", "Is a directory",
   *  "Permission denied", "not a regular file (a FIFO)"), or undefined when it can. */
  problem(path: string): string | undefined {
    const fd = this.openRegular(path);
    if (fd === undefined) return this.why.get(path);
    closeSync(fd);
    return undefined;
  }
  /** Why a read of `path` failed (FileSystem.readError): what problem() says. */
  readError(path: string): string | undefined {
    return this.why.get(path) ?? this.problem(path);
  }
  /** Read into one scratch buffer that grows as needed (a kernel unit reads some 800 headers: no
   *  buffer, stat object or options object per file). */
  private scratch = Buffer.allocUnsafe(1 << 18);
  readFile(path: string): string | undefined {
    const fd = this.openRegular(path);
    if (fd === undefined) return undefined;
    try {
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
      if (this.track) this.ids.set(path, fileId(this.lastStat!, this.scratch.subarray(0, n)));
      return text;
    } catch (e) {
      this.why.set(path, errnoText(e));
      return undefined;
    } finally {
      closeSync(fd);
    }
  }
  readBytes(path: string): Uint8Array | undefined {
    const fd = this.openRegular(path);
    if (fd === undefined) return undefined;
    try {
      // A plain Uint8Array over the Buffer's bytes: no copy (and none of Buffer's own slice()).
      const b = readFileSync(fd);
      this.read.add(path);
      if (this.track) this.ids.set(path, fileId(this.lastStat!, b));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      this.why.set(path, errnoText(e));
      return undefined;
    } finally {
      closeSync(fd);
    }
  }
  /** A binary read by ranges: only the sections read cost memory (a sparse 1.9 GB ELF, a few MB).
   *  Regular files only, as readBytes; for the result cache its identity and a hash read a MiB at a
   *  time. */
  openBytes(path: string): ByteSource | undefined {
    const fd = this.openRegular(path);
    if (fd === undefined) return undefined;
    let size: number;
    try {
      size = fstatSync(fd).size;
    } catch (e) {
      this.why.set(path, errnoText(e));
      return undefined;
    } finally {
      closeSync(fd);
    }
    this.read.add(path);
    if (this.track) {
      const id = hashFile(path);
      if (id) this.ids.set(path, id);
    }
    return {
      size,
      read(offset: number, length: number): Uint8Array {
        const out = new Uint8Array(length);
        const fd = openSync(path, OPEN_FLAGS);
        try {
          for (let n = 0; n < length;) {
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
  /** The first bytes of a regular file (a binary's magic number), without reading the rest; empty
   *  for anything else. */
  readHead(path: string, n = 8): Uint8Array {
    const fd = this.openRegular(path);
    if (fd === undefined) return new Uint8Array();
    try {
      const head = new Uint8Array(n);
      return head.subarray(0, readSync(fd, head, 0, n, 0));
    } catch {
      return new Uint8Array();
    } finally {
      closeSync(fd);
    }
  }
  /** A regular file, or a FIFO or device (found, like gcc, which would open it; readFile refuses it). */
  isFile(path: string): boolean {
    const k = this.kind(path);
    return k === Kind.File || k === Kind.Other;
  }
  isDirectory(path: string): boolean {
    return this.kind(path) === Kind.Dir;
  }
  realPath(path: string): string {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  }
}
