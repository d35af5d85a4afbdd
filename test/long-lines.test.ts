// Issue 19: no line of src/ over 120 characters (Prettier's width, which it cannot enforce on strings,
// comments and regular expressions; the issue asked for at most 20, and all of them were split). A data table or a long message is written over several
// lines instead: one entry per line, a string split where its text breaks naturally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const WIDTH = 120;
const MAX_LONG_LINES = 0;

const sources = (readdirSync('src', { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join('src', f));

/** The lines of `text` longer than `width` characters (code points, as an editor counts them). */
function longLines(text: string, width = WIDTH): number[] {
  const out: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.length > width && [...l].length > width) out.push(i + 1);
  });
  return out;
}

test('a line of exactly 120 characters is not long; one of 121 is, counted in characters', () => {
  assert.deepEqual(longLines(['x'.repeat(120), 'y'.repeat(121), '–'.repeat(120)].join('\n')), [2]);
});

test(`at most ${MAX_LONG_LINES} lines of src/ over ${WIDTH} characters (none)`, () => {
  const long = sources.flatMap((f) => longLines(readFileSync(f, 'utf8')).map((n) => `${f}:${n}`));
  assert.ok(long.length <= MAX_LONG_LINES, `${long.length} lines over ${WIDTH} characters:\n${long.join('\n')}`);
});
