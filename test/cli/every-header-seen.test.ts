// SharedSeen (src/cli/every-header-seen.ts): the sites one --every-header process has rendered, read
// by the others, a line written half way kept until it is whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SharedSeen } from '../../src/cli/every-header-seen.js';

test('SharedSeen: each process reads the keys the others published, whole lines only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-seen-'));
  try {
    const [a, b, c] = [0, 1, 2].map((k) => new SharedSeen(dir, k, 3));
    const seen = new Set<string>();
    a!.gather(seen);
    assert.deepEqual([...seen], []);
    b!.publish(['s\0/i/x.h\x003', 'été\0/i/ü.h\x0010']);
    c!.publish([]);
    a!.gather(seen);
    assert.deepEqual([...seen], ['s\0/i/x.h\x003', 'été\0/i/ü.h\x0010']);
    // A write seen half done: its line waits for its end (here cut inside a character).
    const half = Buffer.from('ünion u\0/i/y.h\x007\n');
    appendFileSync(join(dir, 'seen-2'), half.subarray(0, 1));
    a!.gather(seen);
    assert.equal(seen.size, 2);
    appendFileSync(join(dir, 'seen-2'), half.subarray(1));
    a!.gather(seen);
    assert.ok(seen.has('ünion u\0/i/y.h\x007'));
    // Its own keys are not read back; the others' are read once.
    a!.publish(['t\0/i/z.h\x001']);
    const other = new Set<string>();
    a!.gather(other);
    assert.equal(other.size, 0);
    b!.gather(other);
    assert.deepEqual([...other].sort(), ['t\0/i/z.h\x001', 'ünion u\0/i/y.h\x007']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
