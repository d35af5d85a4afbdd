// Runs the command line from source (no build needed), without the result cache.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function cli(args: string[], cwd?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs'),
      join(process.cwd(), 'src/cli/run.ts'),
      '--no-cache',
      ...args,
    ],
    { encoding: 'utf8', cwd },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}
