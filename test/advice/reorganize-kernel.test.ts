// The reorganizer on Debian's kernel headers: the --patch for ip_vs_conn applies to a copy of the
// header, and the patched header, laid out again and compiled by gcc with kbuild's flags, gives the
// claimed 272 bytes; ptr_ring, whose cacheline-aligned members pahole moves into one line, keeps its
// cacheline groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gccTruth, haveTool } from '../support/gcc-truth.js';
import { findKernelHeaders, kbuildProbe } from '../support/kernel.js';

const headers = findKernelHeaders();
const skip = !headers
  ? 'Debian linux-headers-*-amd64 not installed'
  : !haveTool('make')
    ? 'make not installed'
    : !haveTool('patch')
      ? 'patch not installed'
      : false;

function layoutof(args: string[], cwd?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/run.js'), '--no-cache', ...args], {
    encoding: 'utf8',
    cwd,
    maxBuffer: 1 << 26,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test(
  'ip_vs_conn: the --patch applies, and gcc with kbuild flags lays the patched header out in 272 bytes',
  { skip, timeout: 600_000 },
  () => {
    const json = JSON.parse(
      layoutof(['--kernel', headers!, 'net/ip_vs.h', 'ip_vs_conn', '--reorganize', '--format', 'json']).stdout,
    );
    assert.equal(json.records[0].originalSize, 288);
    assert.equal(json.records[0].size, 272);
    const p = layoutof(['--kernel', headers!, 'net/ip_vs.h', 'ip_vs_conn', '--patch']);
    assert.equal(p.status, 0, p.stderr);
    const original = /^--- (\S+)/m.exec(p.stdout)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'layoutof-reorg-'));
    try {
      mkdirSync(join(dir, 'include/net'), { recursive: true });
      const copy = join(dir, 'include/net/ip_vs.h');
      writeFileSync(copy, readFileSync(original));
      writeFileSync(join(dir, 'ip_vs.patch'), p.stdout);
      const applied = spawnSync('patch', ['--no-backup-if-mismatch', '-F0', copy, join(dir, 'ip_vs.patch')], {
        encoding: 'utf8',
      });
      assert.equal(applied.status, 0, applied.stdout + applied.stderr);
      // Only the record's lines changed.
      const before = readFileSync(original, 'utf8').split('\n');
      const after = readFileSync(copy, 'utf8').split('\n');
      assert.equal(after.length, before.length);
      const changed = before.flatMap((l, i) => (l !== after[i] ? [i + 1] : []));
      const open = before.findIndex((l) => l.startsWith('struct ip_vs_conn {')) + 1;
      const close = before.findIndex((l, i) => i > open && l === '};') + 1;
      assert.ok(
        changed.length > 0 && changed.every((n) => n > open && n < close),
        `lines ${changed.join()} outside ${open}-${close}`,
      );
      // Laid out again by layoutof, and by gcc with kbuild's flags.
      const again = JSON.parse(layoutof(['--kernel', headers!, copy, 'ip_vs_conn', '--format', 'json']).stdout);
      assert.equal(again.records[0].size, 272);
      const source = `#include <linux/module.h>\n#include "${copy}"\n`;
      const probe = kbuildProbe(headers!, 'lo_reorg', source);
      const [truth] = gccTruth(source, [{ ctype: 'struct ip_vs_conn', fields: [], bitfields: [] }], {
        cc: probe.cc,
        nm: 'nm',
        objcopy: 'objcopy',
        flags: probe.flags,
        endian: 'little',
        cwd: probe.cwd,
      });
      assert.equal(truth!.size, 272);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('ptr_ring keeps its cacheline-aligned groups', { skip, timeout: 600_000 }, () => {
  const r = layoutof(['--kernel', headers!, 'linux/ptr_ring.h', 'ptr_ring', '--reorganize', '--format', 'json']);
  const rec = JSON.parse(r.stdout).records[0];
  assert.equal(rec.originalSize, 192);
  assert.equal(rec.size, 192);
  const names = rec.members.map((m: { name: string }) => m.name);
  // consumer_head starts the second line, producer... the third: both still do.
  const offsets = new Map(rec.members.map((m: { name: string; offset: number }) => [m.name, m.offset]));
  assert.equal(offsets.get('consumer_head'), 64);
  assert.equal(offsets.get('size'), 128);
  assert.ok(names.indexOf('producer') < names.indexOf('consumer_head'));
});

const KO = '.cache/kernel-image-amd64/ip_vs.ko';
const VMLINUX = '.cache/kernel-image-amd64/vmlinux.btf';
test(
  'from BTF too: ip_vs.ko split over the vmlinux BTF gives the same 288 -> 272',
  { skip: !existsSync(KO) && `no ${KO}` },
  () => {
    const r = layoutof(['--btf-base', VMLINUX, KO, 'ip_vs_conn', '--reorganize', '--format', 'json']);
    const rec = JSON.parse(r.stdout).records[0];
    assert.deepEqual([rec.originalSize, rec.size, rec.moved], [288, 272, 2]);
  },
);
