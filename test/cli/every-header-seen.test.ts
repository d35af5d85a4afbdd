// SharedSeen (src/cli/every-header-seen.ts): the sites one --every-header process has rendered, with
// the unit each came from, read by the others, a line written half way kept until it is whole.
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
    const seen = new Map<string, number>();
    a!.gather(seen);
    assert.deepEqual([...seen], []);
    b!.publish(4, ['s\0/i/x.h\x003', 'été\0/i/ü.h\x0010']);
    c!.publish(5, []);
    a!.gather(seen);
    assert.deepEqual(
      [...seen],
      [
        ['s\0/i/x.h\x003', 4],
        ['été\0/i/ü.h\x0010', 4],
      ],
    );
    // A write seen half done: its line waits for its end (here cut inside a character).
    const half = Buffer.from('7 ünion u\0/i/y.h\x007\n');
    appendFileSync(join(dir, 'seen-2'), half.subarray(0, 3));
    a!.gather(seen);
    assert.equal(seen.size, 2);
    appendFileSync(join(dir, 'seen-2'), half.subarray(3));
    a!.gather(seen);
    assert.equal(seen.get('ünion u\0/i/y.h\x007'), 7);
    // Its own keys are not read back; the others' are read once.
    a!.publish(1, ['t\0/i/z.h\x001']);
    const other = new Map<string, number>();
    a!.gather(other);
    assert.equal(other.size, 0);
    b!.gather(other);
    assert.deepEqual([...other.keys()].sort(), ['t\0/i/z.h\x001', 'ünion u\0/i/y.h\x007']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SharedSeen: a site rendered by two processes counts from its earliest unit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-seen-'));
  try {
    const [a, b, c] = [0, 1, 2].map((k) => new SharedSeen(dir, k, 3));
    const seen = new Map<string, number>();
    // A later unit's process finished first: a process on an earlier unit must still render the site
    // (runUnit skips only sites from earlier units), and then its own, earlier, unit is what counts.
    b!.publish(9, ['s\0/i/x.h\x003']);
    a!.gather(seen);
    assert.equal(seen.get('s\0/i/x.h\x003'), 9);
    c!.publish(2, ['s\0/i/x.h\x003']);
    b!.publish(11, ['s\0/i/x.h\x003']);
    a!.gather(seen);
    assert.equal(seen.get('s\0/i/x.h\x003'), 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
