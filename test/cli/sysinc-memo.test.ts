// The system include directories are remembered between runs (src/cli/sysinc.ts), keyed by the
// compiler's identity and checked against the directories its report named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('cc -E -v is asked once, and again when the compiler or its directories change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-sysinc-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'inc'));
  writeFileSync(join(dir, 'inc/sys.h'), 'struct from_sys { int a; };\n');
  writeFileSync(join(dir, 'main.h'), '#include <sys.h>\nstruct m { struct from_sys s; char c; };\n');
  const cc = join(bin, 'cc');
  const script = (extra: string) =>
    `#!/bin/sh\necho ran >> ${dir}/log\n${extra}printf '%s\\n' 'ignoring nonexistent directory "${dir}/later"' '#include <...> search starts here:' ' ${dir}/inc' 'End of search list.' >&2\n`;
  writeFileSync(cc, script(''));
  chmodSync(cc, 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, LAYOUTOF_CACHE_DIR: join(dir, 'cache') };
  delete env.LAYOUTOF_NO_CACHE;
  const run = () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs'),
        join(process.cwd(), 'src/cli/run.ts'),
        join(dir, 'main.h'),
      ],
      { encoding: 'utf8', env },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /size: 8,/);
    return readFileSync(join(dir, 'log'), 'utf8').split('\n').length - 1;
  };
  assert.equal(run(), 1);
  assert.equal(run(), 1); // remembered
  writeFileSync(cc, script('# upgraded\n')); // another compiler: its identity changed
  assert.equal(run(), 2);
  assert.equal(run(), 2);
  mkdirSync(join(dir, 'later')); // a directory it ignored exists now: its search list would change
  assert.equal(run(), 3);
});
