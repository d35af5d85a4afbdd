// The by-name index's freshness check (src/cli/name-index.ts): listings and scans are reused only
// while nothing changed, and every kind of change is seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headersUnder, openIndex, treeDefs, type IndexStats } from '../../src/cli/name-index.js';

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One query's lookup against the kept index of `dir`: the names each header defines, and what
 *  was reused. */
function lookup(dir: string, list = 'test') {
  const stats: IndexStats = { fresh: false, scanned: 0, reused: 0, listed: 0 };
  const index = treeDefs(openIndex([dir], true), { list, files: (memo) => headersUnder(dir, undefined, memo) }, stats);
  // (A name is found whole: not within 'xa' nor 'a_'.)
  const a = index.sites(['a']).get('a')!;
  assert.ok(a.length <= 1 && a.every((s) => s.file.endsWith('/a.h')));
  const byFile: Record<string, string[]> = {};
  for (const [, sites] of index.sites(index.names()))
    for (const s of sites) (byFile[s.file.slice(dir.length + 1)] ??= []).push(s.name);
  const names = Object.fromEntries(
    Object.keys(byFile)
      .sort()
      .map((f) => [f, byFile[f]!.sort().join(' ')]),
  );
  return { names, scanned: stats.scanned, listed: stats.listed, fresh: stats.fresh };
}

test('the index reuses what did not change and sees an edit, a header added, removed, renamed', () => {
  const cache = mkdtempSync(join(tmpdir(), 'layoutof-nidx-cache-'));
  process.env.LAYOUTOF_CACHE_DIR = cache;
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-nidx-'));
  mkdirSync(join(dir, 'sub/deep'), { recursive: true });
  writeFileSync(join(dir, 'a.h'), 'struct a { int x; };\n');
  writeFileSync(join(dir, 'sub/b.h'), 'union b { int y; };\n');
  writeFileSync(join(dir, 'sub/deep/c.h'), 'typedef struct { int z; } c_t;\n');
  writeFileSync(join(dir, 'sub/not-a-header.c'), 'struct n { int q; };\n');
  writeFileSync(join(dir, 'sub/empty.h'), '/* nothing */\n');
  writeFileSync(join(dir, 'sub/multi.h'), 'struct xa { int q; };\nstruct a_ { int r; };\n');
  sleep(50); // (older than the timestamp grain: their identities are kept)
  const first = lookup(dir);
  assert.deepEqual(first.names, { 'a.h': 'a', 'sub/b.h': 'b', 'sub/deep/c.h': 'c_t', 'sub/multi.h': 'a_ xa' });
  assert.equal(first.scanned, 5);
  const index = join(cache, 'index');
  const written = statSync(index).mtimeMs;
  // Nothing changed: no listing read, no file scanned, the index not rewritten.
  sleep(50);
  assert.deepEqual(lookup(dir), { names: first.names, scanned: 0, listed: 3, fresh: true });
  assert.equal(statSync(index).mtimeMs, written);
  // The same directories for another list (other roots, another order): not taken for it.
  assert.equal(lookup(dir, 'other').fresh, false);
  assert.equal(lookup(dir, 'test').fresh, false);
  assert.equal(lookup(dir).fresh, true);
  // An edit in place (its directory unchanged): that file only is scanned again.
  writeFileSync(join(dir, 'sub/deep/c.h'), 'typedef struct { int z; } d_t;\n');
  const edited = lookup(dir);
  assert.deepEqual(edited.names, { 'a.h': 'a', 'sub/b.h': 'b', 'sub/deep/c.h': 'd_t', 'sub/multi.h': 'a_ xa' });
  assert.equal(edited.scanned, 1);
  assert.equal(edited.listed, 3);
  // An edit in place that adds a second definition of a name defined elsewhere.
  sleep(50);
  writeFileSync(join(dir, 'sub/b.h'), 'union b { int y; };\nstruct xa { long w; };\n');
  assert.equal(lookup(dir).names['sub/b.h'], 'b xa');
  writeFileSync(join(dir, 'sub/b.h'), 'union b { int y; };\n');
  // The same size again at once (within the clock's tick): a new identity was not trusted.
  writeFileSync(join(dir, 'sub/deep/c.h'), 'typedef struct { int z; } e_t;\n');
  assert.equal(lookup(dir).names['sub/deep/c.h'], 'e_t');
  // Added, removed, renamed: each directory that changed is listed again.
  writeFileSync(join(dir, 'sub/deep/new.h'), 'struct fresh { char c; };\n');
  assert.equal(lookup(dir).names['sub/deep/new.h'], 'fresh');
  rmSync(join(dir, 'sub/b.h'));
  assert.equal(lookup(dir).names['sub/b.h'], undefined);
  renameSync(join(dir, 'sub/deep'), join(dir, 'sub/moved'));
  const moved = lookup(dir);
  assert.deepEqual(moved.names, {
    'a.h': 'a',
    'sub/moved/c.h': 'e_t',
    'sub/moved/new.h': 'fresh',
    'sub/multi.h': 'a_ xa',
  });
  // A file replaced by a directory of the same name, and a header turned into a non-header.
  rmSync(join(dir, 'a.h'));
  mkdirSync(join(dir, 'a.h'));
  renameSync(join(dir, 'sub/moved/new.h'), join(dir, 'sub/moved/new.txt'));
  assert.deepEqual(lookup(dir).names, { 'sub/moved/c.h': 'e_t', 'sub/multi.h': 'a_ xa' });
  // What cannot be stat'ed is left out, not fatal: a symlink loop, a dangling link.
  symlinkSync('loop.h', join(dir, 'loop.h'));
  symlinkSync('nowhere.h', join(dir, 'dangling.h'));
  assert.deepEqual(lookup(dir).names, { 'sub/moved/c.h': 'e_t', 'sub/multi.h': 'a_ xa' });
  sleep(50);
  assert.equal(lookup(dir).fresh, false);
  assert.equal(lookup(dir).fresh, true);
  // A link's target appearing outside the tree (no directory of the tree changes) is seen.
  const elsewhere = mkdtempSync(join(tmpdir(), 'layoutof-nidx-out-'));
  symlinkSync(join(elsewhere, 'target.h'), join(dir, 'sub/later.h'));
  sleep(50);
  assert.equal(lookup(dir).names['sub/later.h'], undefined);
  assert.equal(lookup(dir).fresh, true);
  writeFileSync(join(elsewhere, 'target.h'), 'struct later { int l; };\n');
  assert.equal(lookup(dir).names['sub/later.h'], 'later');
  rmSync(join(dir, 'sub/later.h'));
  // A kept index whose columns disagree (one line short) is not used: built again, never misread.
  const [kept] = readdirSync(index);
  const doc = readFileSync(join(index, kept!));
  doc[doc.length - 1] = 32;
  writeFileSync(join(index, kept!), doc);
  const rebuilt = lookup(dir);
  assert.deepEqual(rebuilt.names, { 'sub/moved/c.h': 'e_t', 'sub/multi.h': 'a_ xa' });
  assert.equal(rebuilt.scanned, 3);
  delete process.env.LAYOUTOF_CACHE_DIR;
});

test('a root that is missing, then made, is seen', () => {
  process.env.LAYOUTOF_CACHE_DIR = mkdtempSync(join(tmpdir(), 'layoutof-nidx-cache-'));
  const dir = join(mkdtempSync(join(tmpdir(), 'layoutof-nidx-')), 'later');
  assert.deepEqual(lookup(dir).names, {});
  sleep(50);
  assert.equal(lookup(dir).fresh, true);
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.h'), 'struct a { int x; };\n');
  assert.deepEqual(lookup(dir).names, { 'a.h': 'a' });
  delete process.env.LAYOUTOF_CACHE_DIR;
});
