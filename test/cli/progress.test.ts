// The progress line (src/cli/progress.ts): only on a terminal, only once the work has lasted a
// moment, at most ten redraws a second, and cleared at the end only when something was drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar } from '../../src/cli/progress.js';

function drawn(tty: boolean, steps: [ms: number, done: number][], total: number, after: number): string[] {
  const out: string[] = [];
  const [isTTY, write, now] = [process.stderr.isTTY, process.stderr.write, Date.now];
  let t = 1_000_000;
  Date.now = () => t;
  process.stderr.isTTY = tty;
  process.stderr.write = ((s: string) => (out.push(s), true)) as typeof process.stderr.write;
  try {
    const bar = progressBar(total, 'headers indexed', after);
    for (const [ms, done] of steps) {
      t = 1_000_000 + ms;
      bar(done);
    }
  } finally {
    [process.stderr.isTTY, process.stderr.write, Date.now] = [isTTY, write, now];
  }
  return out;
}

test('progress: drawn on a terminal after the delay, throttled, cleared at the end', () => {
  const steps: [number, number][] = [
    [0, 0],
    [200, 2],
    [400, 5],
    [450, 6],
    [600, 8],
    [700, 10],
  ];
  const out = drawn(true, steps, 10, 300);
  assert.deepEqual(out, [
    '\r\x1b[2K[###############...............] 5/10 headers indexed, 12.5/s, 0:00 left',
    '\r\x1b[2K[########################......] 8/10 headers indexed, 13.3/s, 0:00 left',
    '\r\x1b[2K',
  ]);
  // Not a terminal: nothing, ever.
  assert.deepEqual(drawn(false, steps, 10, 300), []);
  // Over before the delay: nothing drawn, so nothing to clear.
  assert.deepEqual(
    drawn(
      true,
      [
        [0, 0],
        [100, 10],
      ],
      10,
      300,
    ),
    [],
  );
});
