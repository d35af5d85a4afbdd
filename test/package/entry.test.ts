// The package's main entry runs in a browser: nothing src/index.ts reaches, through any chain of
// imports, is a Node module or a module of src/cli/ (the Node side is 'layoutof/node' alone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

test("'layoutof' reaches no Node module and nothing in src/cli/", () => {
  const seen = new Set<string>();
  const bad: string[] = [];
  const visit = (file: string, from: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    if (file.startsWith(join('src', 'cli'))) bad.push(`${from} -> ${file}`);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\b[^'";]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(normalize(join(dirname(file), spec.replace(/\.js$/, '.ts'))), file);
      else if (
        spec.startsWith('node:') ||
        !/^[a-z@]/.test(spec) ||
        ['fs', 'path', 'os', 'child_process', 'zlib', 'crypto'].includes(spec)
      )
        bad.push(`${file} -> ${spec}`);
    }
  };
  visit(join('src', 'index.ts'), '');
  assert.deepEqual(bad, []);
  assert.ok(seen.size > 20, `${seen.size} modules reached`);
  // The one package it needs at run time is a dependency (pure JavaScript: zstd).
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.deepEqual(Object.keys(pkg.dependencies), ['fzstd']);
});
