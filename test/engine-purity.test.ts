// The engine must run in a browser: no node: imports and no process/Buffer outside src/cli/. And the
// src/ folders import one another only as boundaries.mjs allows (the table ESLint enforces too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALLOWED, KNOWN_EXCEPTIONS, TYPE_ONLY, folderOf, importViolation, resolveSpecifier } from '../boundaries.mjs';

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const files = walk('src').map((f) => f.split('\\').join('/'));

interface Import {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** Every module specifier of a file: static imports and re-exports (spanning lines), side-effect
 *  imports and dynamic import(). Type-only: `import type`, or braces holding only `type` names. */
function importsOf(text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;'"=()]*?)\s*from\s*['"]([^'"]+)['"]/gm)) {
    const names = m[2]!
      .match(/^\{([^}]*)\}$/)?.[1]
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const typeOnly =
      m[1] !== undefined || (names !== undefined && names.length > 0 && names.every((n) => n.startsWith('type ')));
    out.push({ specifier: m[3]!, typeOnly });
  }
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push({ specifier: m[1]!, typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ specifier: m[1]!, typeOnly: false });
  return out;
}

const imports = new Map(files.map((f) => [f, importsOf(readFileSync(f, 'utf8'))]));

test('engine files import nothing from node and touch no process globals', () => {
  const bad: string[] = [];
  for (const f of files) {
    if (f.startsWith('src/cli/')) continue;
    const text = readFileSync(f, 'utf8');
    if (/from\s+['"](node:|fs|path|os|child_process)['"/]/.test(text)) bad.push(`${f}: node import`);
    if (/\bprocess\.|\bBuffer\./.test(text)) bad.push(`${f}: process/Buffer`);
  }
  assert.deepEqual(bad, []);
});

test('the import reader sees every form of import', () => {
  const found = importsOf(
    [
      "import { a, type B } from './x.js';",
      "import type { C } from './t.js';",
      'import {\n  type D,\n  type E,\n} from "./u.js";',
      "export { f } from '../y.js';",
      "export * from './z.js';",
      "import './side.js';",
      "const m = await import('./dyn.js');",
      'export type T = {\n  a: number\n}\nimport { v } from "./v.js";',
    ].join('\n'),
  );
  assert.deepEqual(found, [
    { specifier: './x.js', typeOnly: false },
    { specifier: './t.js', typeOnly: true },
    { specifier: './u.js', typeOnly: true },
    { specifier: '../y.js', typeOnly: false },
    { specifier: './z.js', typeOnly: false },
    { specifier: './v.js', typeOnly: false },
    { specifier: './side.js', typeOnly: false },
    { specifier: './dyn.js', typeOnly: false },
  ]);
  // The table itself: a folder's own files, an allowed folder, a type-only allowance, the façade.
  assert.equal(importViolation('src/cpp/lexer.ts', './token.js', false), undefined);
  assert.equal(importViolation('src/cpp/lexer.ts', '../core/source.js', false), undefined);
  assert.match(importViolation('src/cpp/lexer.ts', '../layout/layout.js', true) ?? '', /may not import layout/);
  assert.equal(importViolation('src/layout/layout.ts', '../cparse/ctype.js', true), undefined);
  assert.match(importViolation('src/layout/layout.ts', '../cparse/ctype.js', false) ?? '', /may not import cparse/);
  assert.match(importViolation('src/model/lower.ts', '../api.js', true) ?? '', /may not import api\.ts/);
  assert.equal(importViolation('src/cli/main.ts', '../api.js', false), undefined);
  assert.equal(resolveSpecifier('src/cpp/a/b.ts', '../../core/x.js'), 'src/core/x.js');
});

test('src/ folders import one another only as boundaries.mjs allows', () => {
  const bad: string[] = [];
  for (const [f, list] of imports) {
    for (const i of list) {
      const why = importViolation(f, i.specifier, i.typeOnly);
      if (why) bad.push(`${f}: ${why}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('every folder of src/ is in the table, and the table has no cycle', () => {
  const folders = [...new Set(files.map((f) => folderOf(f)))].sort();
  assert.deepEqual(folders, Object.keys(ALLOWED).sort(), 'boundaries.mjs ALLOWED lists exactly the folders of src/');
  for (const [from, to] of Object.entries(TYPE_ONLY)) {
    for (const t of to) assert.ok(t in ALLOWED, `TYPE_ONLY ${from} → ${t}: no such folder`);
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string, path: string[]): void => {
    if (state.get(n) === 'done') return;
    assert.notEqual(state.get(n), 'open', `cycle in boundaries.mjs: ${[...path, n].join(' → ')}`);
    state.set(n, 'open');
    for (const m of ALLOWED[n] ?? []) visit(m, [...path, n]);
    state.set(n, 'done');
  };
  for (const n of Object.keys(ALLOWED)) visit(n, []);
});

test('every known exception still exists (delete the ones that are gone from boundaries.mjs)', () => {
  const stale = KNOWN_EXCEPTIONS.filter(
    (e) =>
      !(imports.get(e.from) ?? []).some(
        (i) => i.specifier.startsWith('.') && folderOf(resolveSpecifier(e.from, i.specifier)) === e.to,
      ),
  );
  assert.deepEqual(stale, []);
});
