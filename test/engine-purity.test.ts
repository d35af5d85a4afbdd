// The engine must run in a browser: no node: imports and no process/Buffer outside src/cli/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('engine files import nothing from node and touch no process globals', () => {
  const bad: string[] = [];
  for (const f of walk('src')) {
    if (f.startsWith(join('src', 'cli'))) continue;
    const text = readFileSync(f, 'utf8');
    if (/from\s+['"](node:|fs|path|os|child_process)['"/]/.test(text)) bad.push(`${f}: node import`);
    if (/\bprocess\.|\bBuffer\./.test(text)) bad.push(`${f}: process/Buffer`);
  }
  assert.deepEqual(bad, []);
});
