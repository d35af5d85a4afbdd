// Hidesets against a plain Set model: small arrays, big tables extended in place, branches off older
// versions, long chains of links, unions and intersections between every kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Hidesets, namesOf, sizeOf, type Hideset } from '../../src/cpp/hideset.js';

test('hideset operations agree with sets, for small and big hidesets alike', () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant('add' as const), from: fc.nat(), name: fc.nat({ max: 120 }) }),
    fc.record({ k: fc.constant('chain' as const), from: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
    fc.record({ k: fc.constant('union' as const), a: fc.nat(), b: fc.nat() }),
    fc.record({ k: fc.constant('intersect' as const), a: fc.nat(), b: fc.nat() }),
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
      const hs = new Hidesets();
      const made: [Hideset, Set<string>][] = [[[], new Set()]];
      const pick = (k: number) => made[k % made.length]!;
      for (const o of ops) {
        if (o.k === 'add') {
          const [h, s] = pick(o.from);
          made.push([hs.add(h, `m${o.name}`), new Set([...s, `m${o.name}`])]);
        } else if (o.k === 'chain') {
          let [h, s] = pick(o.from);
          for (let i = 0; i < o.len; i++) {
            const n = `c${made.length}_${i}`;
            h = hs.add(h, n);
            s = new Set([...s, n]);
          }
          made.push([h, s]);
        } else {
          const [a, sa] = pick(o.a);
          const [b, sb] = pick(o.b);
          if (o.k === 'union') made.push([hs.union(a, b), new Set([...sa, ...sb])]);
          else made.push([hs.intersect(a, b), new Set([...sa].filter((x) => sb.has(x)))]);
        }
      }
      // Every hideset made still holds exactly its names (later extensions changed none of them).
      for (const [h, s] of made) {
        assert.equal(sizeOf(h), s.size);
        assert.deepEqual(new Set(namesOf(h)), s);
        for (const n of s) assert.ok(hs.has(h, n));
        assert.ok(!hs.has(h, 'absent'));
      }
    }),
    { numRuns: 300, seed: 23 },
  );
});

test('a chain of 100,000 names extends one table in place, copying nothing', () => {
  const hs = new Hidesets();
  let h: Hideset = [];
  for (let i = 0; i < 100_000; i++) h = hs.add(h, `M${i}`);
  assert.equal(sizeOf(h), 100_000);
  assert.ok(hs.has(h, 'M0') && hs.has(h, 'M99999') && !hs.has(h, 'M100000'));
  assert.ok(hs.copied < 100, `copied ${hs.copied}`);
});

test('branching off older versions again and again links tables, then flattens them', () => {
  const hs = new Hidesets();
  let h: Hideset = [];
  for (let i = 0; i < 40; i++) h = hs.add(h, `base${i}`);
  const sides: Hideset[] = [];
  for (let i = 0; i < 100; i++) {
    sides.push(hs.add(h, `side${i}`)); // takes the table's next slot: h is no longer its latest version
    h = hs.add(h, `main${i}`);
  }
  assert.equal(sizeOf(h), 140);
  for (let i = 0; i < 100; i++) {
    assert.ok(hs.has(h, `main${i}`) && !hs.has(h, `side${i}`));
    assert.ok(hs.has(sides[i]!, `side${i}`) && !hs.has(sides[i]!, `main${i}`) && hs.has(sides[i]!, 'base0'));
  }
  assert.ok(hs.copied > 0);
});
