// Path joining for include searches: the fast join (no splitting when nothing needs normalizing) must
// give exactly what normalizing the joined path gives, for any mix of ".", "..", empty segments and
// hidden names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { joinPath, normalizePath } from '../../src/core/fs.js';

const segment = fc.constantFrom('a', 'linux', '.', '..', '', '.hidden', 'x.h', '..b');
const path = (lead: string) => fc.array(segment, { maxLength: 6 }).map((s) => lead + s.join('/'));

test('joinPath(dir, rel) is normalizePath(dir + "/" + rel) (rel alone when absolute)', () => {
  fc.assert(
    fc.property(fc.oneof(path('/'), path('')), path(''), (dir, rel) => {
      const expected =
        rel.startsWith('/') || dir === '' || dir === '.' ? normalizePath(rel) : normalizePath(dir + '/' + rel);
      assert.equal(joinPath(dir, rel), expected);
    }),
    { numRuns: 5000 },
  );
  assert.equal(joinPath('/usr/include', 'linux/types.h'), '/usr/include/linux/types.h');
  assert.equal(joinPath('/usr/include', '../lib/x.h'), '/usr/lib/x.h');
  assert.equal(joinPath('/a/', 'b'), '/a/b');
  assert.equal(joinPath('/a', '.config/x'), '/a/.config/x');
});
