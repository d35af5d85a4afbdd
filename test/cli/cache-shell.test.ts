// bin/layoutof answers a repeated --kernel/-p query from the cache without starting Node, and only
// when nothing it read has changed. LAYOUTOF_NODE=/bin/false proves which path answered: Node cannot
// run then, so an answer came from the shell fast path. Runs the built tool (npm test builds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/layoutof');
const built = existsSync(join(process.cwd(), 'dist/cli/run.js'));
const haveCoreutils =
  spawnSync('sh', ['-c', 'command -v sha1sum && command -v stat && command -v xargs && command -v cmp']).status === 0;

test(
  'bin/layoutof serves repeated queries without Node, and never a stale one',
  {
    skip:
      (!built && 'not built (npm run build)') ||
      (!haveCoreutils && 'needs sha1sum, stat, xargs, cmp') ||
      (process.platform === 'win32' && 'POSIX only'),
  },
  () => {
    const root = mkdtempSync(join(tmpdir(), 'layoutof-shcache-'));
    const dir = join(root, 'proj');
    mkdirSync(join(dir, 'inc'), { recursive: true });
    mkdirSync(join(dir, 'first'), { recursive: true });
    const env = { ...process.env, LAYOUTOF_CACHE_DIR: join(root, 'cache'), LAYOUTOF_NO_CACHE: '' };
    const run = (args: string[], node = true) => {
      const r = spawnSync(bin, args, {
        cwd: dir,
        encoding: 'utf8',
        env: node ? env : { ...env, LAYOUTOF_NODE: '/bin/false' },
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const size = (r: { code: number | null; out: string; err: string }) => {
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out).records[0].size as number;
    };
    writeFileSync(join(dir, 'inc/cfg.h'), 'typedef short word_t;\n');
    writeFileSync(join(dir, 'a.c'), '#include <cfg.h>\nstruct rec { char c; word_t w; };\n');
    const db = (extra: string) =>
      writeFileSync(
        join(dir, 'compile_commands.json'),
        JSON.stringify([{ directory: dir, file: 'a.c', command: `cc -Ifirst -Iinc ${extra} -c a.c` }]),
      );
    db('');
    const args = ['-p', dir, '--format', 'json', 'a.c', 'rec'];

    assert.notEqual(run(args, false).code, 0, 'nothing cached yet: Node is needed');
    assert.equal(size(run(args)), 4);
    assert.equal(size(run(args, false)), 4, 'repeated: answered without Node');
    // ... and that answer counts as a use of the entry, for the cache's size bound (prune()).
    const used = readdirSync(join(root, 'cache/sh'))
      .map((d) => join(root, 'cache/sh', d, 'used'))
      .filter((f) => existsSync(f));
    assert.equal(used.length, 1, 'the shell marked the entry used');
    const before = statSync(used[0]!).mtimeMs;
    utimesSync(used[0]!, new Date(before - 60_000), new Date(before - 60_000));
    assert.equal(size(run(args, false)), 4);
    assert.ok(statSync(used[0]!).mtimeMs > before - 60_000, 'and again on the next answer');
    assert.notEqual(run([...args, '--no-cache'], false).code, 0, '--no-cache always runs Node');
    assert.notEqual(run(['--format', 'json', ...args.slice(2)], false).code, 0, 'other arguments: another entry');

    writeFileSync(join(dir, 'inc/cfg.h'), 'typedef long word_t;\n');
    assert.notEqual(run(args, false).code, 0, 'an edited header is not served from the cache');
    assert.equal(size(run(args)), 16);
    // (A query whose header was just edited may be again: the shell's entry waits for Node's next hit.)
    assert.notEqual(run(args, false).code, 0, 'no shell entry right after an edit');
    assert.equal(size(run(args)), 16);
    assert.equal(size(run(args, false)), 16);

    writeFileSync(join(dir, 'first/cfg.h'), 'typedef int word_t;\n');
    assert.notEqual(run(args, false).code, 0, 'a header added earlier in the include path');
    assert.equal(size(run(args)), 8);

    db('-DX=1');
    assert.notEqual(run(args, false).code, 0, 'a changed compilation database');
    assert.equal(size(run(args)), 8);

    // Touched but unchanged: Node checks the content, answers from its cache and renews the entry.
    const t = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'first/cfg.h'), t, t);
    assert.equal(size(run(args)), 8);
    assert.equal(size(run(args, false)), 8, 'renewed after a touch');
  },
);

test(
  "a binary's answer is cached too: served without Node until the binary changes",
  {
    skip:
      (!built && 'not built (npm run build)') ||
      (!haveCoreutils && 'needs sha1sum, stat, xargs, cmp') ||
      (process.platform === 'win32' && 'POSIX only') ||
      (spawnSync('gcc', ['--version']).status !== 0 && 'gcc not installed'),
  },
  () => {
    const root = mkdtempSync(join(tmpdir(), 'layoutof-bincache-'));
    const env = { ...process.env, LAYOUTOF_CACHE_DIR: join(root, 'cache'), LAYOUTOF_NO_CACHE: '' };
    const run = (args: string[], node = true) => {
      const r = spawnSync(bin, args, {
        cwd: root,
        encoding: 'utf8',
        env: node ? env : { ...env, LAYOUTOF_NODE: '/bin/false' },
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const build = (body: string) => {
      writeFileSync(join(root, 'o.c'), `struct rec { ${body} } v;\n`);
      assert.equal(spawnSync('gcc', ['-g', '-c', '-o', join(root, 'o.o'), join(root, 'o.c')]).status, 0);
    };
    build('char c; int i;');
    const args = ['--format', 'json', 'o.o', 'rec'];
    const size = (r: { code: number | null; out: string; err: string }) => {
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out).records[0].size as number;
    };
    assert.notEqual(run(args, false).code, 0, 'nothing cached yet');
    assert.equal(size(run(args)), 8);
    assert.equal(size(run(args, false)), 8, 'repeated: answered without Node');
    build('char c; long l;');
    assert.notEqual(run(args, false).code, 0, 'a rebuilt object is not served from the cache');
    assert.equal(size(run(args)), 16);
    assert.equal(size(run(args)), 16);
    assert.equal(size(run(args, false)), 16);
    // A corrupt binary's error is not kept: the answer is recomputed every time.
    writeFileSync(join(root, 'bad.o'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
    const bad = run(['bad.o']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /error/);
    assert.equal(
      run(['bad.o'], false).err,
      '',
      'no entry for a failed run (only Node could answer, and it cannot run)',
    );
  },
);

test(
  'a cached answer piped into head ends with status 141, as a fresh one does',
  {
    skip:
      (!built && 'not built (npm run build)') ||
      (!haveCoreutils && 'needs sha1sum, stat, xargs, cmp') ||
      (process.platform === 'win32' && 'POSIX only'),
  },
  () => {
    const root = mkdtempSync(join(tmpdir(), 'layoutof-shpipe-'));
    writeFileSync(
      join(root, 'many.c'),
      Array.from({ length: 3000 }, (_, i) => `struct s${i} { char c; long l; int i; };\n`).join(''),
    );
    writeFileSync(
      join(root, 'compile_commands.json'),
      JSON.stringify([{ directory: root, file: 'many.c', command: 'cc -c many.c' }]),
    );
    const env = { ...process.env, LAYOUTOF_CACHE_DIR: join(root, 'cache'), LAYOUTOF_NO_CACHE: '' };
    const piped = (node: boolean) =>
      spawnSync('bash', ['-c', 'set -o pipefail; "$0" -p . many.c | head -n 1; echo "rc=${PIPESTATUS[0]}"', bin], {
        cwd: root,
        encoding: 'utf8',
        env: node ? env : { ...env, LAYOUTOF_NODE: '/bin/false' },
      });
    assert.equal(
      spawnSync(bin, ['-p', '.', 'many.c'], { cwd: root, env, stdio: 'ignore' }).status,
      0,
      'stores the answer',
    );
    const r = piped(false);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'struct s0 {\nrc=141\n', 'answered by the shell (Node cannot run), stopped by head');
  },
);
