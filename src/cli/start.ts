// What every entry does first: a cacheable query is answered from the result cache when its entry is
// still valid; anything else runs the tool (main.js, loaded only then by the unbundled entry).
import { cacheEnabled, cacheKey, cacheLookup, type CachedRun } from './cache.js';
import { internalError } from './fail.js';
import { VERSION } from './version.js';

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
    if (!hit) return await (await load()).main(argv);
    process.stderr.write(hit.stderr);
    process.stdout.write(hit.stdout);
    return hit.code;
  } catch (e) {
    return internalError(e);
  }
}
