// --format c and --patch: the new order in the author's own text (comments, #if blocks and
// declarations with several names move with their members), a diff that patch applies without fuzz
// and that lays out to the claimed size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveTool } from '../support/gcc-truth.js';

const HEADER = `/* a header */
#define X 1
struct b {
\tchar c;   /* a char */
\tlong l;
\t/* the d */
\tchar d;
#ifdef X
\tint i;
\tchar j;
#endif
\tshort s, t;  /* two shorts,
\t\t\t * said on two lines */
\tunion {
\t\tint u1;
\t\tlong u2;
\t};
\tchar e;
};
int after;
`;

function layoutof(args: string[], cwd: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/run.js'), '--no-cache', ...args], {
    encoding: 'utf8',
    cwd,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test('--format c moves comments and #if blocks with their members', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-src-'));
  try {
    writeFileSync(join(dir, 'b.h'), HEADER);
    const r = layoutof(['b.h', 'b', '--reorganize', '--format', 'c'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /48 -> 32 bytes/);
    assert.match(r.stdout, /\t\/\* the d \*\/\n\tchar d;\n#ifdef X\n\tint i;\n\tchar j;\n#endif\n/);
    assert.match(r.stdout, /\tshort s, t;  \/\* two shorts,\n\t\t\t \* said on two lines \*\/\n/);
    // The definition compiles and lays out to the claim.
    writeFileSync(join(dir, 'c.h'), '#define X 1\n' + r.stdout);
    assert.equal(JSON.parse(layoutof(['c.h', 'b', '--format', 'json'], dir).stdout).records[0].size, 32);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  '--patch applies with patch -p0 and touches only the record',
  { skip: !haveTool('patch') && 'patch not installed' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-src-'));
    try {
      writeFileSync(join(dir, 'b.h'), HEADER);
      const r = layoutof(['b.h', 'b', '--patch'], dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^--- b\.h\n\+\+\+ b\.h\n@@ /);
      writeFileSync(join(dir, 'p'), r.stdout);
      const p = spawnSync('patch', ['-p0', '-F0', '-i', 'p'], { cwd: dir, encoding: 'utf8' });
      assert.equal(p.status, 0, p.stdout + p.stderr);
      const after = readFileSync(join(dir, 'b.h'), 'utf8');
      assert.ok(after.startsWith('/* a header */\n#define X 1\nstruct b {\n') && after.endsWith('};\nint after;\n'));
      assert.equal(after.split('\n').length, HEADER.split('\n').length);
      assert.equal(JSON.parse(layoutof(['b.h', 'b', '--format', 'json'], dir).stdout).records[0].size, 32);
      if (haveTool('git')) {
        const back = spawnSync('git', ['apply', '-R', '-p0', '--unsafe-paths', 'p'], { cwd: dir, encoding: 'utf8' });
        assert.equal(back.status, 0, back.stderr);
        assert.equal(readFileSync(join(dir, 'b.h'), 'utf8'), HEADER);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('a record without source text, or one left alone, says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-src-'));
  try {
    writeFileSync(join(dir, 'u.h'), 'union u { char a; long b; };\n');
    const r = layoutof(['u.h', 'u', '--patch'], dir);
    assert.match(r.stderr, /not reorganized: a union/);
    assert.equal(r.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
