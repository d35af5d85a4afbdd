// docs/api.md runs as written: every code block that opens with its file name (`// x.mjs`, `/* x.c */`)
// is written into a fresh project whose node_modules/layoutof is this package (so `exports` decides what
// resolves), and every `$ command` of a sh block is run there with bash: its stdout must be the lines
// printed under it, with nothing on stderr. Uses the built dist/ (npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const doc = readFileSync('docs/api.md', 'utf8');
const blocks = [...doc.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, text: m[2]! }));
const files = blocks.flatMap((b) => {
  const name = /^(?:\/\/ (\S+)|\/\* (\S+) \*\/)\n/.exec(b.text);
  return name ? [{ name: (name[1] ?? name[2])!, text: b.text }] : [];
});
/** Each `$ command` with the output printed under it. */
const sessions = blocks
  .filter((b) => b.lang === 'sh' && b.text.startsWith('$ '))
  .flatMap((b) =>
    b.text
      .split(/^\$ /m)
      .slice(1)
      .map((part) => {
        const nl = part.indexOf('\n');
        return { cmd: part.slice(0, nl), out: part.slice(nl + 1) };
      }),
  );

const have = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const headers = existsSync('/usr/src') && readdirSync('/usr/src').some((d) => /^linux-headers-.*-amd64$/.test(d));
/** What a command needs from the system (the test skips it, naming the missing one, without it). */
function missing(cmd: string): string | false {
  if (/\bcc\b/.test(cmd) && !have('cc')) return 'cc not installed';
  if (/\bpahole\b/.test(cmd) && !have('pahole')) return 'pahole (dwarves) not installed';
  if (/linux-headers-/.test(cmd) && !headers) return 'Debian linux-headers-*-amd64 not installed';
  return false;
}

test('docs/api.md has a runnable example for each entry point', () => {
  assert.deepEqual(
    files.map((f) => f.name),
    [
      'source-text.mjs',
      'files.mjs',
      'conn.c',
      'binary.mjs',
      'kernel.mjs',
      'compdb.mjs',
      'analyses.mjs',
      'huge.mjs',
      'renderers.mjs',
    ],
  );
  const code = files.map((f) => f.text).join('\n');
  for (const api of [
    'analyzeSourceText',
    'analyzeSource',
    'analyzeBinary',
    'kernelTree',
    'kernelSourceOptions',
    'resolveKernelFile',
    'compileFlagsFor',
    'analyzeRecord',
    'estimateMemory',
    'diffLayouts',
    'compareAcrossTargets',
    'renderText',
    'renderMarkdown',
    'renderJson',
    'renderDiff',
    'renderComparison',
    'NodeFileSystem',
    'systemIncludeDirs',
    'MemoryFileSystem',
    'findTarget',
    'isExact',
  ]) {
    assert.match(code, new RegExp(`\\b${api}\\(`), `an example calls ${api}`);
  }
  // Each example file is run by some command.
  for (const f of files.filter((f) => f.name.endsWith('.mjs')))
    assert.ok(
      sessions.some((s) => s.cmd.includes(`node ${f.name}`)),
      f.name,
    );
});

test('docs/api.md: every example prints what the page shows', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-api-docs-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(process.cwd(), join(dir, 'node_modules/layoutof'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'api-docs', private: true, type: 'module' }));
    for (const f of files) writeFileSync(join(dir, f.name), f.text);
    const env = { ...process.env, LAYOUTOF_NO_CACHE: '1' };
    for (const s of sessions) {
      await t.test(`$ ${s.cmd}`, { skip: missing(s.cmd) }, () => {
        const r = spawnSync('bash', ['-c', s.cmd], { cwd: dir, encoding: 'utf8', env });
        assert.equal(r.stderr, '', s.cmd);
        assert.equal(r.status, 0, s.cmd);
        assert.equal(r.stdout, s.out, s.cmd);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
