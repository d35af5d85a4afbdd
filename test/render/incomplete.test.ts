// How each format shows an incomplete record (see docs/incomplete-records.md): JSON's incomplete,
// errors and null offsets; text's INCOMPLETE lines and "size: ?"; markdown's banner and row; and the
// command line's exit status 1 with the error on stderr, the record still shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSourceText } from '../../src/api.js';
import { analyzeRecord } from '../../src/analyze/layout-view.js';
import { toJson } from '../../src/render/json.js';
import { renderText } from '../../src/render/text.js';
import { renderMarkdown } from '../../src/render/markdown.js';

const SRC = 'struct s { int a; my_t x; long b; };\n';
const view = () => analyzeRecord(analyzeSourceText(SRC).find('s')!);

test('JSON: incomplete, errors, unknown size, members after the failure without offsets', () => {
  const [r] = (toJson('x86_64-linux-gnu', [view()]) as { records: { [k: string]: unknown }[] }).records;
  assert.equal(r!.incomplete, true);
  assert.deepEqual(r!.errors, ["/input.c:1:19: unknown type name 'my_t'"]);
  assert.equal(r!.size, null);
  assert.equal(r!.align, null);
  assert.deepEqual(r!.members, [
    { name: 'a', type: 'int', offset: 0, size: 4, align: 4 },
    { name: 'b', type: 'long', offset: null, size: null, align: null },
  ]);
});

test('text: an INCOMPLETE line where the layout stops, no size', () => {
  const t = renderText([view()]);
  assert.match(
    t,
    /^\tint +a; +\/\* +0 +4 \*\/\n\t\/\* INCOMPLETE: \/input\.c:1:19: unknown type name 'my_t' \*\/\n\tlong +b; +\/\* +\? +\? \*\/$/m,
  );
  assert.match(t, /size: \?, members: 1 laid out, 1 not/);
  assert.doesNotMatch(t, /size: 16|holes/);
});

test('markdown: a banner under the title and a row where the layout stops', () => {
  const m = renderMarkdown([view()]);
  assert.match(m, /^> \*\*Incomplete: this layout is not exact\.\*\* \/input\.c:1:19: unknown type name 'my\\_t'$/m);
  assert.match(m, /^\| \*\*\?\*\* \| \*\*\?\*\* \| \| \| \*\*INCOMPLETE: the layout is unknown from here\*\* \|$/m);
  assert.match(m, /^\| \? \| \? \| `long` \| `b` \| _not laid out_ \|$/m);
  assert.match(m, /\*\*Size unknown\*\*/);
});

function run(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', '--no-cache', ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the command line: exit 1, the error on stderr, the record shown and found by name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-incomplete-'));
  const f = join(dir, 'f.h');
  writeFileSync(f, 'struct s { struct nope a[3]; };\n');
  const r = run([f, 's']);
  assert.equal(r.code, 1);
  assert.match(r.err, /f\.h:1:24: error: array type has incomplete element type 'struct nope'/);
  assert.match(r.out, /INCOMPLETE: .*f\.h:1:24: array type has incomplete element type 'struct nope'/);
  const j = run([f, '--format', 'json']);
  assert.equal(j.code, 1);
  assert.equal(JSON.parse(j.out).records[0].incomplete, true);
});
