// --packable: every struct ranked by the bytes reordering saves, per object, per allocated object
// (a saving can vanish in the rounding), and across the live objects (--counts, --slabinfo).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { parseCounts, parseSlabinfo, rankPackable } from '../../src/analyze/packable.js';

const SRC = `struct four { char a; long x; char b; long y; char c; long z; char d; long w; };
struct two { char a; long x; char b; long y; };
struct tight { long x; int y; int z; };
struct one { char a; int x; char b; };
`;

test('records ranked by bytes saved per object; --min-savings filters', () => {
  const recs = analyzeSourceText(SRC, {}).records;
  const rows = rankPackable(recs);
  assert.deepEqual(
    rows.map((p) => [p.name, p.size, p.reorganizedSize, p.savings]),
    [
      ['four', 64, 40, 24],
      ['two', 32, 24, 8],
      ['one', 12, 8, 4],
    ],
  );
  assert.deepEqual(
    rankPackable(recs, { minSavings: 8 }).map((p) => p.name),
    ['four', 'two'],
  );
});

test('--object-align: the allocator rounding can swallow a saving', () => {
  const rows = rankPackable(analyzeSourceText(SRC, {}).records, { objectAlign: 64 });
  const four = rows.find((p) => p.name === 'four')!;
  assert.deepEqual([four.objectSize, four.reorganizedObjectSize, four.objectSavings], [64, 64, 0]);
  const r = spawnSync(
    process.execPath,
    ['dist/cli/run.js', '--no-cache', '--packable', '--object-align', '64', file(SRC)],
    { encoding: 'utf8' },
  );
  assert.match(r.stdout, /64 \(saving vanishes\)\s+struct four/);
});

test('--counts and --slabinfo rank by the bytes saved across the live objects', () => {
  const { counts } = parseCounts('# name count\ntwo 1000\nstruct four 10\n');
  const rows = rankPackable(analyzeSourceText(SRC, {}).records, { counts });
  assert.deepEqual(
    rows.map((p) => [p.name, p.count, p.totalSavings]),
    [
      ['two', 1000, 8000],
      ['four', 10, 240],
    ],
  );
  assert.deepEqual(parseCounts('two x\n').errors, ["line 1: expected 'NAME COUNT', not 'two x'"]);
  const slab = parseSlabinfo(
    'slabinfo - version: 2.1\n# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables\nip_vs_conn   1200   1300   320   25   2 : tunables 0 0 0 : slabdata 52 52 0\nkioctx 7 20 576 28 4 : tunables 0 0 0 : slabdata 1 1 0\n',
  );
  assert.deepEqual([slab.counts.get('ip_vs_conn'), slab.counts.get('kioctx')], [1200, 7]);
  assert.equal(parseSlabinfo('hello\n').errors.length, 1);
  const r = spawnSync(
    process.execPath,
    [
      'dist/cli/run.js',
      '--no-cache',
      '--packable',
      '--format',
      'json',
      `--slabinfo=${file('slabinfo - version: 2.1\ntwo 50 60 32 1 1 : tunables 0 0 0 : slabdata 1 1 0\n')}`,
      file(SRC),
    ],
    { encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(r.stdout).records, [
    { name: 'two', kind: 'struct', size: 32, reorganizedSize: 24, savings: 8, count: 50, totalSavings: 400 },
  ]);
});

const BTF = '.cache/kernel-image-amd64/vmlinux.btf';
test(
  'a vmlinux BTF: every struct, largest saving first, cacheline groups kept',
  { skip: !existsSync(BTF) && `no ${BTF}` },
  () => {
    const r = spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', '--packable', '--format', 'json', BTF], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const recs = JSON.parse(r.stdout).records as {
      name: string;
      size: number;
      reorganizedSize: number;
      savings: number;
    }[];
    assert.ok(recs.length > 300, `${recs.length}`);
    assert.ok(
      recs.every(
        (p, i) =>
          p.savings === p.size - p.reorganizedSize && p.savings > 0 && (i === 0 || recs[i - 1]!.savings >= p.savings),
      ),
    );
  },
);

let dir: string | undefined;
function file(text: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'layoutof-packable-'));
  const p = join(dir, `f${Math.random().toString(36).slice(2)}.h`);
  writeFileSync(p, text);
  return p;
}
process.on('exit', () => dir && rmSync(dir, { recursive: true, force: true }));

test(
  '--counts and --slabinfo answers are never taken from the result cache',
  { skip: !existsSync(BTF) && `no ${BTF}` },
  () => {
    // A binary input's answers are cached (src/cli/cache.ts); live counts must not be.
    const cache = mkdtempSync(join(tmpdir(), 'layoutof-packable-cache-'));
    try {
      const counts = file('sctp_transport 1\n');
      const args = ['dist/cli/run.js', '--packable', '--format', 'json', '--counts', counts, BTF];
      const env = { ...process.env, LAYOUTOF_CACHE_DIR: cache };
      const once = spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
      writeFileSync(counts, 'sctp_transport 7\n');
      const twice = spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
      assert.equal(JSON.parse(once.stdout).records[0].count, 1);
      assert.equal(JSON.parse(twice.stdout).records[0].count, 7);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  },
);
