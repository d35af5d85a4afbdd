// The result cache cannot serve a stale answer, for each way an answer could go stale: a header
// edited through a symlink, a file rewritten with its old size and time set back (touch -d), the
// compiler's include variables (C_INCLUDE_PATH, CPATH), a LAYOUTOF_* variable, another compiler first
// on PATH or the same one changed. Each is checked on the shell fast path (LAYOUTOF_NODE=/bin/false:
// an answer can only come from it) and on Node's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, shellCacheSkip } from '../support/shell-cache.js';
import { isRacy } from '../../src/cli/cachefs.ts';
import { KEY_ENV, RUN_ONLY_ENV } from '../../src/cli/cache.ts';

const skip = shellCacheSkip;

/** A project whose a.c includes <cfg.h>, queried through its compilation database (cached). */
function project(name: string, cflags = '') {
  const dir = mkdtempSync(join(tmpdir(), `layoutof-stale-${name}-`));
  writeFileSync(join(dir, 'a.c'), '#include <cfg.h>\nstruct rec { char c; word_t w; };\n');
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'a.c', command: `cc ${cflags} -c a.c` }]),
  );
  const base = { ...process.env, LAYOUTOF_CACHE_DIR: join(dir, 'cache'), LAYOUTOF_NO_CACHE: '' };
  const run = (env: Record<string, string | undefined> = {}, node = true) => {
    const r = spawnSync(bin, ['-p', '.', '--format', 'json', 'a.c', 'rec'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...base, ...env, ...(node ? {} : { LAYOUTOF_NODE: '/bin/false' }) },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  /** rec's size, from Node or, with node false, from the shell alone (undefined: it did not answer). */
  const size = (env: Record<string, string | undefined> = {}, node = true): number | undefined => {
    const r = run(env, node);
    if (!node && r.code !== 0) return undefined;
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out).records[0].size as number;
  };
  return { dir, size };
}

/** Writes a file, its size kept: `typedef T word_t;` padded. */
const cfg = (path: string, type: string) => writeFileSync(path, `typedef ${type.padEnd(10)} word_t;\n`);

test('a header edited through a symlink is not served from the cache', { skip }, () => {
  const p = project('symlink', '-Iinc');
  mkdirSync(join(p.dir, 'inc'));
  mkdirSync(join(p.dir, 'real'));
  cfg(join(p.dir, 'real/cfg.h'), 'short');
  symlinkSync('../real/cfg.h', join(p.dir, 'inc/cfg.h'));
  assert.equal(p.size(), 4);
  assert.equal(p.size({}, false), 4, 'stored');
  cfg(join(p.dir, 'real/cfg.h'), 'long');
  assert.equal(p.size({}, false), undefined, 'the shell does not answer');
  assert.equal(p.size(), 16);
  assert.equal(p.size(), 16);
  assert.equal(p.size({}, false), 16);
});

test(
  'a file rewritten with its old size and modification time (touch -d) is not served from the cache',
  { skip },
  () => {
    const p = project('touchd', '-Iinc');
    mkdirSync(join(p.dir, 'inc'));
    const h = join(p.dir, 'inc/cfg.h');
    cfg(h, 'short');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(h, old, old);
    assert.equal(p.size(), 4);
    assert.equal(p.size({}, false), 4, 'stored');
    const before = statSync(h);
    cfg(h, 'int');
    utimesSync(h, old, old);
    assert.equal(statSync(h).size, before.size);
    assert.equal(statSync(h).mtimeMs, before.mtimeMs);
    assert.equal(p.size({}, false), undefined, 'the shell does not answer (the change time moved)');
    assert.equal(p.size(), 8, 'Node compares the contents');
    // Touched but unchanged: Node finds the same contents, answers, and renews the shell's entry.
    const t = new Date(Date.now() - 60_000);
    utimesSync(h, t, t);
    assert.equal(p.size({}, false), undefined);
    assert.equal(p.size(), 8);
    assert.equal(p.size({}, false), 8, 'renewed');
  },
);

const haveCc = spawnSync('cc', ['-E', '-v', '-x', 'c', '/dev/null'], { encoding: 'utf8' }).stderr?.includes(
  'search starts here',
);

test('C_INCLUDE_PATH and CPATH are part of the key', { skip: skip || (!haveCc && 'needs cc') }, () => {
  const p = project('cpath');
  for (const [d, t] of [
    ['one', 'short'],
    ['two', 'long'],
  ] as const) {
    mkdirSync(join(p.dir, d));
    cfg(join(p.dir, d, 'cfg.h'), t);
  }
  for (const v of ['C_INCLUDE_PATH', 'CPATH']) {
    const one = { [v]: join(p.dir, 'one') };
    const two = { [v]: join(p.dir, 'two') };
    assert.equal(p.size(one), 4, v);
    assert.equal(p.size(one, false), 4, `${v}: stored`);
    assert.equal(p.size(two, false), undefined, `${v} changed: the shell does not answer`);
    assert.equal(p.size(two), 16, `${v} changed`);
    assert.equal(p.size(one), 4, `${v} back`);
  }
});

test('LAYOUTOF_* variables are part of the key, and each the tool reads is accounted for', { skip }, () => {
  const p = project('env', '-Iinc');
  mkdirSync(join(p.dir, 'inc'));
  cfg(join(p.dir, 'inc/cfg.h'), 'short');
  assert.equal(p.size(), 4);
  assert.equal(p.size({}, false), 4);
  assert.equal(p.size({ LAYOUTOF_PRIME: '0' }, false), undefined, 'another LAYOUTOF_PRIME: another key');
  const jsons = () => readdirSync(join(p.dir, 'cache')).filter((f) => f.endsWith('.json')).length;
  const n = jsons();
  // (The shell's key names the variables the tool reads, below: Node's takes any other as well.)
  rmSync(join(p.dir, 'cache/sh'), { recursive: true });
  assert.equal(p.size({ LAYOUTOF_SOMETHING_NEW: '1' }), 4);
  assert.equal(jsons(), n + 1, "an unknown LAYOUTOF_* variable: another entry of Node's");
  // Every LAYOUTOF_* variable read in src/ is in the key (KEY_ENV) or known not to change an answer.
  const read = new Set<string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.ts'))
        for (const m of readFileSync(join(d, e.name), 'utf8').matchAll(/process\.env\.(LAYOUTOF_[A-Z_]+)/g))
          read.add(m[1]!);
    }
  };
  walk('src');
  for (const v of read)
    assert.ok(
      (KEY_ENV as readonly string[]).includes(v) || (RUN_ONLY_ENV as readonly string[]).includes(v),
      `${v}: add it to KEY_ENV (and bin/layoutof) or RUN_ONLY_ENV`,
    );
  // bin/layoutof's key names the same variables, in the same order.
  const sh = [...readFileSync('bin/layoutof', 'utf8').matchAll(/"\$\{([A-Z_]+)\+=\}\$\{\1-\}"/g)].map((m) => m[1]);
  assert.deepEqual(sh, [...KEY_ENV]);
});

test(
  'another compiler first on PATH, or the same compiler changed, is not served from the cache',
  { skip: skip || (!haveCc && 'needs cc') },
  () => {
    const p = project('compiler');
    // A compiler whose search list is one directory (what layoutof asks `cc -E -v` for).
    const fake = (bindir: string, inc: string) => {
      mkdirSync(bindir, { recursive: true });
      writeFileSync(
        join(bindir, 'cc'),
        `#!/bin/sh\nprintf '#include <...> search starts here:\\n ${inc}\\nEnd of search list.\\n' >&2\n`,
      );
      chmodSync(join(bindir, 'cc'), 0o755);
    };
    for (const [d, t] of [
      ['one', 'short'],
      ['two', 'long'],
    ] as const) {
      mkdirSync(join(p.dir, d));
      cfg(join(p.dir, d, 'cfg.h'), t);
    }
    fake(join(p.dir, 'bin1'), join(p.dir, 'one'));
    fake(join(p.dir, 'bin2'), join(p.dir, 'two'));
    const path1 = { PATH: `${join(p.dir, 'bin1')}:${process.env.PATH}` };
    const path2 = { PATH: `${join(p.dir, 'bin2')}:${process.env.PATH}` };
    assert.equal(p.size(path1), 4);
    assert.equal(p.size(path1, false), 4, 'stored');
    assert.equal(p.size(path2, false), undefined, 'another compiler first on PATH');
    assert.equal(p.size(path2), 16);
    // The same compiler, upgraded in place (a new file).
    writeFileSync(join(p.dir, 'bin1/cc.new'), readFileSync(join(p.dir, 'bin2/cc')));
    chmodSync(join(p.dir, 'bin1/cc.new'), 0o755);
    spawnSync('mv', [join(p.dir, 'bin1/cc.new'), join(p.dir, 'bin1/cc')]);
    assert.equal(p.size(path1, false), undefined, 'an upgraded compiler: the shell does not answer');
    assert.equal(p.size(path1), 16, 'nor Node from its entry');
    // The same PATH, and a compiler installed in a directory searched before the one that ran.
    const path01 = { PATH: `${join(p.dir, 'bin0')}:${join(p.dir, 'bin1')}:${process.env.PATH}` };
    mkdirSync(join(p.dir, 'bin0'));
    assert.equal(p.size(path01), 16);
    assert.equal(p.size(path01, false), 16, 'stored');
    fake(join(p.dir, 'bin0'), join(p.dir, 'one'));
    assert.equal(p.size(path01, false), undefined, 'a compiler installed earlier on PATH: the shell does not answer');
    assert.equal(p.size(path01), 4, 'nor Node from its entry');
  },
);

test('a file changed within the timestamp granularity is compared by content until it is older', () => {
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  const st = (ctimeNs: bigint) => ({ ctimeNs }) as Parameters<typeof isRacy>[0];
  const now = ns(Date.now());
  assert.equal(isRacy(st(now - 5_000_000n), now), true, 'changed 5 ms ago');
  assert.equal(isRacy(st(now - ns(1000) + 1n), now), false, 'a second ago, on a nanosecond file system');
  assert.equal(isRacy(st((now / 1_000_000_000n - 1n) * 1_000_000_000n), now), true, 'whole seconds: within 2 s');
  assert.equal(isRacy(st(now - ns(5000) - (now % 1_000_000_000n)), now), false, 'whole seconds, 5 s ago');
  assert.equal(isRacy(st(now + ns(60_000)), now), true, 'in the future');
});
