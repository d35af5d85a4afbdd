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
import { DirMemo, headersUnder, indexFiles, openIndex } from '../../src/cli/name-index.js';

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One query's lookup against the kept index of `dir`: the names each header defines, and what
 *  was reused. */
function lookup(dir: string) {
  const kept = openIndex([dir], true);
  const memo = new DirMemo(kept.old.dirs);
  const files = headersUnder(dir, undefined, memo);
  const stats = { scanned: 0, reused: 0, ms: 0 };
  const index = indexFiles(kept, files, memo, stats);
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
  const listed = Object.keys(memo.keep).filter((d) => memo.keep[d] === kept.old.dirs[d]).length;
  return { names, scanned: stats.scanned, listed };
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
  assert.deepEqual(lookup(dir), { names: first.names, scanned: 0, listed: 3 });
  assert.equal(statSync(index).mtimeMs, written);
  // An edit in place (its directory unchanged): that file only is scanned again.
  writeFileSync(join(dir, 'sub/deep/c.h'), 'typedef struct { int z; } d_t;\n');
  const edited = lookup(dir);
  assert.deepEqual(edited.names, { 'a.h': 'a', 'sub/b.h': 'b', 'sub/deep/c.h': 'd_t', 'sub/multi.h': 'a_ xa' });
  assert.equal(edited.scanned, 1);
  assert.equal(edited.listed, 3);
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
  // A kept index whose columns disagree (one line short) is not used: built again, never misread.
  const [kept] = readdirSync(index);
  const doc = JSON.parse(readFileSync(join(index, kept!), 'utf8')) as { names: string };
  doc.names = doc.names.slice(doc.names.indexOf('\n') + 1);
  writeFileSync(join(index, kept!), JSON.stringify(doc));
  const rebuilt = lookup(dir);
  assert.deepEqual(rebuilt.names, { 'sub/moved/c.h': 'e_t', 'sub/multi.h': 'a_ xa' });
  assert.equal(rebuilt.scanned, 3);
  delete process.env.LAYOUTOF_CACHE_DIR;
});
