// What the tests of bin/layoutof's result cache share: the command, and why they are skipped where it
// cannot answer from the shell (no build, or no POSIX tools it runs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const bin = join(process.cwd(), 'bin/layoutof');
const built = existsSync(join(process.cwd(), 'dist/cli/run.js'));
const posix =
  process.platform !== 'win32' &&
  spawnSync('sh', ['-c', 'command -v sha1sum && command -v stat && command -v xargs && command -v cmp']).status === 0;
/** The reason to skip, or false. */
export const shellCacheSkip =
  (!built && 'not built (npm run build)') || (!posix && 'needs POSIX tools (sha1sum, stat, xargs, cmp)');
