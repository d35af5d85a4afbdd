// The command line run from its TypeScript sources (tsx), as the CLI tests use it: no build needed,
// and what a test changes in src/ is what runs.
import { spawnSync, type SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
import { join } from 'node:path';

export const TSX = join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs');
const RUN = join(process.cwd(), 'src/cli/run.ts');

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/** `layoutof ARGS` from the sources; `opts` as spawnSync takes them (cwd, env, timeout, uid...). */
export function sourceCli(args: readonly string[], opts: Partial<SpawnSyncOptionsWithStringEncoding> = {}): CliRun {
  const r = spawnSync(process.execPath, ['--import', TSX, RUN, ...args], {
    maxBuffer: 1 << 28,
    ...opts,
    encoding: 'utf8',
  });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}
