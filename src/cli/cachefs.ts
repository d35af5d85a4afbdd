// The result cache's file operations (cache.ts), safe in a directory others may have prepared
// (LAYOUTOF_CACHE_DIR names any path; a shared one is writable by others): only directories and
// regular files owned by this user are used; files are opened O_NOFOLLOW|O_NONBLOCK and checked
// with fstat, so a symlink, FIFO or device placed there is refused, never followed nor waited on;
// entries are written to a new file (O_EXCL, mode 0600) and renamed into place, never half seen.
// Also the identity of an input file as `stat -L` prints it, which the shell fast path compares.

import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  futimesSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
  type BigIntStats,
} from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { FileId } from './nodefs.js';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const MY_UID = process.getuid?.();

/** Owned by this user (where there are no uids, by everyone). */
export function ownedByMe(st: { uid: number | bigint }): boolean {
  return MY_UID === undefined || Number(st.uid) === MY_UID;
}

/** The cache's root if it may be used: a directory owned by this user (made, 0700, when `create`
 *  and missing). One that others may read or write (0755 was the old default) is made 0700, so that
 *  cached output is not world-readable; one owned by another user is not used at all. */
export function safeRoot(root: string, create: boolean): string | undefined {
  try {
    if (create) mkdirSync(root, { recursive: true, mode: 0o700 });
    const st = statSync(root);
    if (!st.isDirectory() || !ownedByMe(st)) return undefined;
    if (MY_UID !== undefined && (st.mode & 0o077) !== 0) chmodSync(root, 0o700);
    return root;
  } catch {
    return undefined;
  }
}

/** A directory inside the cache, itself (not a symlink) and this user's; made 0700 when `create`. */
export function safeSubdir(dir: string, create: boolean): string | undefined {
  try {
    // (Made only when missing: a mkdir that fails with EEXIST, as on every store, costs an exception.)
    let st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st && create) {
      try {
        mkdirSync(dir, { mode: 0o700 });
      } catch {
        /* made meanwhile, or cannot be: lstat says which */
      }
      st = lstatSync(dir, { throwIfNoEntry: false });
    }
    return st?.isDirectory() && ownedByMe(st) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `path` itself (not what a symlink names) is a regular file of this user's. */
export function isOwnedFile(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && ownedByMe(st);
  } catch {
    return false;
  }
}

/** A descriptor of `path` if it is a regular file of this user's, not a symlink; else undefined. */
function openOwned(path: string, flags: number): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, flags | NOFOLLOW | NONBLOCK, 0o600);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile() && ownedByMe(st)) return fd;
  } catch {
    /* refused below */
  }
  closeSync(fd);
  return undefined;
}

/** The contents of a cache file (a regular file of this user's, at most `max` bytes), and with
 *  `touch`, its times set to now (when it was last used, for the size bound); undefined if refused. */
export function readOwned(path: string, max: number, touch = false): Buffer | undefined {
  const fd = openOwned(path, constants.O_RDONLY);
  if (fd === undefined) return undefined;
  try {
    const size = fstatSync(fd).size;
    if (size > max) return undefined;
    const buf = Buffer.allocUnsafe(size);
    let n = 0;
    while (n < size) {
      const got = readSync(fd, buf, n, size - n, null);
      if (got === 0) break;
      n += got;
    }
    if (touch) {
      try {
        futimesSync(fd, new Date(), new Date());
      } catch {
        /* a read-only cache still answers */
      }
    }
    return buf.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Sets an existing cache file's times to now, through a descriptor (never truncating, never
 *  following a symlink to someone's file). */
export function touchOwned(path: string): void {
  const fd = openOwned(path, constants.O_WRONLY);
  if (fd === undefined) return;
  try {
    futimesSync(fd, new Date(), new Date());
  } catch {
    /* only the size bound's order suffers */
  } finally {
    closeSync(fd);
  }
}

/** Writes a new file (it must not exist: O_EXCL), 0600. */
export function writeNew(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let n = 0;
    while (n < buf.length) n += writeSync(fd, buf, n, buf.length - n);
  } finally {
    closeSync(fd);
  }
}

/** A name for a new file or directory beside `final`, unique to this process and call. */
export function tempName(final: string): string {
  return `${final}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
}

/** Replaces `dir/name` with `data` at once: written beside it, then renamed over it. */
export function writeAtomic(dir: string, name: string, data: string | Uint8Array): void {
  const final = join(dir, name);
  const tmp = tempName(final);
  writeNew(tmp, data);
  renameSync(tmp, final);
}

/** A file's identity as `stat -L -c '%s %.9Y %.9Z %i %d'` prints it: size, modification and change
 *  times to the nanosecond, inode and device. Any write changes the change time (which no user can
 *  set back, unlike the modification time `touch -d` sets), a replaced file its inode. */
export function identity(st: BigIntStats): string {
  const t = (ns: bigint): string =>
    ns < 0n ? `${ns}` : `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`;
  return `${st.size} ${t(st.mtimeNs)} ${t(st.ctimeNs)} ${st.ino} ${st.dev}`;
}

/** The identity of the file `path` names (following symlinks, as stat -L), or undefined. */
export function identityOf(path: string): string | undefined {
  try {
    // (An absent path is the usual answer for a query's include-search misses: no exception made.)
    const st = statSync(path, { bigint: true, throwIfNoEntry: false });
    return st ? identity(st) : undefined;
  } catch {
    return undefined;
  }
}

/** Where execvp looks for `cmd`, in order. */
export function pathCandidates(cmd: string): string[] {
  const dirs = cmd.includes('/') ? [''] : (process.env.PATH ?? '').split(delimiter).map((d) => d || '.');
  return dirs.map((d) => resolve(d, cmd));
}

/** The program `cmd` names as execvp finds it on PATH (skipping what is not a regular file), its
 *  identity, and the places searched before it (one made there later would be found first). */
export function findOnPath(cmd: string): { path: string; id: string; before: string[] } | undefined {
  const before: string[] = [];
  for (const p of pathCandidates(cmd)) {
    try {
      // (No exception for the usual miss: PATH's first directories rarely hold the compiler, and a
      // small unit looks it up several times.)
      const st = statSync(p, { bigint: true, throwIfNoEntry: false });
      if (st?.isFile()) return { path: p, id: identity(st), before };
    } catch {
      /* not there */
    }
    before.push(p);
  }
  return undefined;
}

/** Whether a file's timestamps cannot yet be trusted to change when it does: it changed so recently
 *  that another write within the file system's timestamp granularity (the kernel's clock tick on a
 *  nanosecond file system, 1-2 s on one that keeps whole seconds) would leave them as they are. Such
 *  a file is compared by content until it is older (git's "racily clean" entries). */
export function isRacy(st: BigIntStats, nowNs = BigInt(Date.now()) * 1_000_000n): boolean {
  const grain = st.ctimeNs % 1_000_000_000n === 0n ? 2_000_000_000n : 20_000_000n;
  return st.ctimeNs + grain > nowNs;
}

/** What the cache keeps of an input file read: its identity before it was read, its contents' sha1,
 *  and whether the identity can be trusted yet (isRacy). */
export type { FileId };

/** A FileId from a file's fstat (taken before reading it) and the bytes read. */
export function fileId(st: BigIntStats, bytes: Uint8Array): FileId {
  return { id: identity(st), sha1: createHash('sha1').update(bytes).digest('hex'), racy: isRacy(st) };
}

/** The FileId of a regular file now, read a MiB at a time (a vmlinux may be 500 MB: never whole in
 *  memory again just to be hashed); undefined when it is not one or cannot be read. */
export function hashFile(path: string): FileId | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) return undefined;
    const h = createHash('sha1');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
    return { id: identity(st), sha1: h.digest('hex'), racy: isRacy(st) };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
