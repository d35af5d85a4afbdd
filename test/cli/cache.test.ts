// The result cache never serves a stale answer: editing a header, adding a header earlier in the
// include path, or changing a flag all give fresh results; an unchanged tree gives the same answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceCli } from '../support/source-cli.js';

const root = mkdtempSync(join(tmpdir(), 'layoutof-cache-'));
const cacheDir = join(root, 'cache');
const run = (args: string[], cwd: string) =>
  sourceCli(args, { cwd, env: { ...process.env, LAYOUTOF_CACHE_DIR: cacheDir } });
const size = (out: string) => JSON.parse(out).records[0].size as number;

test('cached -p queries are invalidated by header edits, new headers and flag changes', () => {
  const dir = join(root, 'proj');
  mkdirSync(join(dir, 'inc'), { recursive: true });
  mkdirSync(join(dir, 'first'), { recursive: true });
  writeFileSync(join(dir, 'inc/cfg.h'), 'typedef short word_t;\n');
  writeFileSync(join(dir, 'a.c'), '#include <cfg.h>\nstruct rec { char c; word_t w; };\n');
  const db = (extra: string) =>
    writeFileSync(
      join(dir, 'compile_commands.json'),
      JSON.stringify([{ directory: dir, file: 'a.c', command: `cc -Ifirst -Iinc ${extra} -c a.c` }]),
    );
  db('');
  const args = ['-p', dir, '--format', 'json', 'a.c', 'rec'];
  assert.equal(size(run(args, dir).out), 4);
  assert.ok(
    existsSync(cacheDir) && readdirSync(cacheDir).filter((f) => f.endsWith('.json')).length === 1,
    'the result was stored',
  );
  assert.equal(size(run(args, dir).out), 4, 'unchanged tree: same answer');
  writeFileSync(join(dir, 'inc/cfg.h'), 'typedef long word_t;\n');
  assert.equal(size(run(args, dir).out), 16, 'edited header');
  writeFileSync(join(dir, 'first/cfg.h'), 'typedef int word_t;\n');
  assert.equal(size(run(args, dir).out), 8, 'a header earlier in the include path');
  db('-DX=1');
  writeFileSync(join(dir, 'first/cfg.h'), '#ifdef X\ntypedef char word_t;\n#else\ntypedef int word_t;\n#endif\n');
  assert.equal(size(run(args, dir).out), 2, 'changed flags and header');
  assert.equal(size(run([...args, '--no-cache'], dir).out), 2);
  // An include directory that does not exist yet: its absence answers for every header under it.
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'a.c', command: 'cc -Inew/sub/.. -Ifirst -Iinc -c a.c' }]),
  );
  assert.equal(size(run(args, dir).out), 8, 'flags changed: an absent directory searched first');
  assert.equal(size(run(args, dir).out), 8);
  mkdirSync(join(dir, 'new/sub'), { recursive: true });
  writeFileSync(join(dir, 'new/cfg.h'), 'typedef long long word_t;\n');
  assert.equal(size(run(args, dir).out), 16, 'a header in a directory made since');
});

/** A one-file project with its compilation database, and a runner that uses `cache` bounded to maxMb. */
function smallProject(name: string, cache: string) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a.c'), 'struct rec { char c; int i; };\n');
  writeFileSync(
    join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'a.c', command: 'cc -c a.c' }]),
  );
  const runIn = (args: string[], maxMb: string) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs'),
        join(process.cwd(), 'src/cli/run.ts'),
        ...args,
      ],
      {
        encoding: 'utf8',
        cwd: dir,
        env: { ...process.env, LAYOUTOF_CACHE_DIR: cache, LAYOUTOF_CACHE_MAX_MB: maxMb },
      },
    );
  return { dir, runIn };
}

test('the cache stays within LAYOUTOF_CACHE_MAX_MB: the oldest entries go, the newest stays', () => {
  const cache = join(root, 'bounded');
  const { dir, runIn: bounded } = smallProject('many', cache);
  const runIn = (args: string[]) => bounded(args, '0.001');
  const entries = () => readdirSync(cache).filter((f) => f.endsWith('.json'));
  assert.equal(runIn(['-p', dir, 'a.c', 'rec']).status, 0);
  assert.equal(entries().length, 1, 'an entry over the bound is still kept while it is the newest');
  const first = entries()[0];
  assert.equal(runIn(['-p', dir, '--format', 'json', 'a.c', 'rec']).status, 0);
  assert.equal(entries().length, 1, 'the older entry made room');
  assert.notEqual(entries()[0], first);
  assert.ok(readdirSync(join(cache, 'sh')).length <= 1, "the shell's entries are bounded too");
});

test('the size bound drops the least recently used entries: an old entry that answered a query stays', () => {
  const cache = join(root, 'lru-cache');
  const { dir, runIn: bounded } = smallProject('lru', cache);
  const runIn = (args: string[], maxMb = '64') => bounded(args, maxMb);
  // Every file of the cache, with sh/KEY/ entries as one (what prune() counts and removes).
  const items = (): string[] => [
    ...readdirSync(cache).filter((f) => f.endsWith('.json')),
    ...readdirSync(join(cache, 'sh')).map((d) => `sh/${d}`),
  ];
  const bytes = (): number =>
    items().reduce(
      (a, i) =>
        a +
        (i.startsWith('sh/')
          ? readdirSync(join(cache, i)).reduce((b, f) => b + statSync(join(cache, i, f)).size, 0)
          : statSync(join(cache, i)).size),
      0,
    );
  const age = (list: string[], secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    for (const i of list)
      for (const f of i.startsWith('sh/')
        ? readdirSync(join(cache, i)).map((x) => join(cache, i, x))
        : [join(cache, i)])
        utimesSync(f, t, t);
  };
  const A = ['-p', dir, 'a.c', 'rec'];
  const B = ['-p', dir, '--cacheline', '32', 'a.c', 'rec'];
  const C = ['-p', dir, '--cacheline', '16', 'a.c', 'rec'];
  assert.equal(runIn(A).status, 0);
  const a = items();
  assert.equal(runIn(B).status, 0);
  const b = items().filter((i) => !a.includes(i));
  assert.equal(a.length, 2);
  assert.equal(b.length, 2);
  // (The size kept beside the entries, which spares a store counting them all, is theirs.)
  assert.equal(Number(readFileSync(join(cache, 'size'), 'utf8')), bytes());
  age(a, 200); // A written first,
  age(b, 100); // then B,
  const pair = bytes() / 2;
  assert.equal(runIn(A).status, 0); // but A answered a query since.
  // Room for two and a half queries' entries: storing C must drop one of B's, none of A's.
  assert.equal(runIn(C, String((pair * 2.5) / (1024 * 1024))).status, 0);
  const left = items();
  assert.ok(
    a.every((i) => left.includes(i)),
    "A's entries stay",
  );
  assert.ok(
    b.some((i) => !left.includes(i)),
    "one of B's went",
  );
});
