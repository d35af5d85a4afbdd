// LineCursor (src/model/line-cursor.ts) against the plain path, core/source.ts's lineColOf: the same
// line for every position asked, in order, backwards, and across files, line-start tables made or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceManager, lineColOf } from '../../src/core/source.js';
import { LineCursor } from '../../src/model/line-cursor.js';

test('line cursor: the line lineColOf gives, whatever order positions are asked in', () => {
  let seed = 7;
  const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let round = 0; round < 40; round++) {
    const sm = new SourceManager();
    const files = Array.from({ length: 3 }, (_, k) => {
      let text = '';
      const n = rand(300);
      for (let i = 0; i < n; i++) text += ['\n', 'a', ' ', '\r\n', '/* x */'][rand(5)];
      return sm.add(`f${k}.h`, text);
    });
    if (round % 4 === 1) lineColOf(files[0]!, 0); // a table already made
    const cursor = new LineCursor();
    for (let q = 0; q < 200; q++) {
      const f = files[rand(3)]!;
      // Mostly forward, as lowering asks; now and then back, or past the end.
      const pos = rand(q % 5 === 0 ? f.text.length + 3 : f.text.length + 1);
      const plain = lineColOf({ id: -1, path: f.path, text: f.text }, pos).line;
      assert.equal(cursor.lineOf(f, pos), plain, `round ${round}, ${f.path} at ${pos}`);
    }
  }
});
