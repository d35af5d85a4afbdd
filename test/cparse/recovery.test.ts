// After an error the parser resumes where gcc does, so that an error costs one declaration and the
// records after it are still read. Messages are gcc 12's; gcc itself reads the unclosed list at line 3
// on into the next declaration, which this parser does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSourceText } from '../../src/api.js';
import { formatDiagnostic } from '../../src/core/diag.js';

function parse(src: string) {
  const r = analyzeSourceText(src, { path: '/t.c' });
  const errors = r.diagnostics.list
    .filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic(d, r.sources).replace(/^\/t\.c:/, ''));
  return { errors, size: (name: string) => r.find(name)?.size };
}

test('an unclosed parameter list does not swallow the records after it', () => {
  const { errors, size } = parse(
    'void f(int a { }\nstruct w { char h; long l; };\nint g(int (*p)(void);\nstruct x { int i; };\n',
  );
  assert.deepEqual(errors, [
    "1:14: error: expected ';', ',' or ')' before '{' token",
    "3:21: error: expected ';', ',' or ')' before ';' token",
  ]);
  assert.equal(size('w'), 16);
  assert.equal(size('x'), 4);
});

test('junk after a member declarator costs that declaration only', () => {
  const { errors, size } = parse('struct u { int c; int d e; long f; };\nstruct v { char g; };\n');
  assert.deepEqual(errors, ["1:25: error: expected ':', ',', ';', '}' or '__attribute__' before 'e'"]);
  assert.equal(size('v'), 1);
});
