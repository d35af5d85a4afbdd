// What every entry does first: a cacheable query is answered from the result cache when its entry is
// still valid; anything else runs the tool (main.js, loaded only then by the unbundled entry).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { isBinaryInput } from '../binary/index.js';
import { parseArgs } from './args.js';
import { cacheEnabled, cacheKey, cacheLookup, type CachedRun } from './cache.js';
import { internalError } from './fail.js';
import { VERSION } from './version.js';

/** A source file up to this size, on its own (no kernel tree, no compilation database), is a small
 *  unit: zlib.h's 97 KB reach 290 KB of headers, 24 glibc headers together 1.5 MB. */
const SMALL_UNIT_BYTES = 128 * 1024;

/** A file's first bytes (a binary's magic number: a small module BTF file brings vmlinux's along). */
function head(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(8);
    return b.subarray(0, readSync(fd, b, 0, 8, 0));
  } finally {
    closeSync(fd);
  }
}

/** A small unit's run is over before V8's optimising compiler pays: its compiles, on the one
 *  background thread, only compete with the run for a CPU, so it runs without them (figures in
 *  docs/performance.md#a-small-unit). A larger file (5,000 generated records) or a kernel unit needs
 *  them; LAYOUTOF_INLINING=1, which asks for V8's defaults, keeps them too. */
export function smallUnitTiers(argv: readonly string[]): boolean {
  if (process.env.LAYOUTOF_INLINING === '1') return false;
  try {
    const o = parseArgs([...argv]);
    if (o.kernel !== undefined || o.compdb !== undefined || o.diff || o.compareTargets || o.everyHeader) return false;
    const st = o.file === undefined ? undefined : statSync(o.file, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > SMALL_UNIT_BYTES || isBinaryInput(head(o.file!))) return false;
    setFlagsFromString('--no-opt');
    return true;
  } catch {
    // A command line that does not parse is main's to report; this is only ever an optimisation.
    return false;
  }
}

export async function startCli(
  argv: string[],
  load: () => Promise<{ main(argv: string[]): Promise<number> }>,
): Promise<number> {
  // A reader that stops early (`layoutof vmlinux | head`) closes the pipe: stop there, quietly, with
  // the status a C tool killed by SIGPIPE has (128 + 13), instead of an unhandled EPIPE's stack trace.
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(141);
      if (s === process.stdout) process.stderr.write(`layoutof: cannot write the output: ${e.message}\n`);
      process.exit(1);
    });
  }
  // Whatever escapes the command's own handler (main.ts), even from a callback, is an internal error.
  process.on('uncaughtException', (e) => process.exit(internalError(e)));
  try {
    // Any query may have an entry (kernel, -p and binary ones do); a miss costs one failed open. A
    // cache that cannot be read is a miss: the answer is computed again.
    let hit: CachedRun | undefined;
    try {
      hit = cacheEnabled(argv) ? cacheLookup(cacheKey(argv, VERSION), argv) : undefined;
    } catch {
      hit = undefined;
    }
    if (!hit) {
      smallUnitTiers(argv);
      return await (await load()).main(argv);
    }
    process.stderr.write(hit.stderr);
    process.stdout.write(hit.stdout);
    return hit.code;
  } catch (e) {
    return internalError(e);
  }
}
