// BTF against bpftool: every named struct and union of this machine's /sys/kernel/btf/vmlinux, of
// Debian's packaged vmlinux (as a raw blob and as an ELF's .BTF section), and of Debian's ip_vs.ko
// (its own split BTF, over either form of that vmlinux) must have the size,
// member names, bit offsets and bitfield sizes `bpftool btf dump -j` reports; corrupt and truncated
// blobs end in a clear error, never a crash or a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBinary } from '../../src/binary/index.js';
import { haveTool } from '../support/gcc-truth.js';
import { rng } from '../support/gen.js';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const hasBtf = existsSync(VMLINUX);

interface BpftoolMember {
  name: string;
  type_id: number;
  bits_offset: number;
  bitfield_size?: number;
}
interface BpftoolType {
  id: number;
  kind: string;
  name: string;
  size?: number;
  members?: BpftoolMember[];
}

/** Every named struct and union `bpftool btf dump -j` lists for `file` (over `base`, for split BTF)
 *  against layoutof's records: size, member names, bit offsets, bitfield sizes. Returns the count. */
function matchBpftool(file: string, base?: string): number {
  const ours = analyzeBinary(new Uint8Array(readFileSync(file)), {
    path: file,
    preferBtf: true,
    btfBase: base ? new Uint8Array(readFileSync(base)) : undefined,
  });
  assert.deepEqual(ours.diagnostics.list, []);
  const dump = JSON.parse(
    execFileSync('bpftool', [...(base ? ['-B', base] : []), 'btf', 'dump', 'file', file, '-j'], {
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    }),
  ) as { types: BpftoolType[] };
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
        diffs.push(
          `${t.name}.${m.name}: ours ${o.name}@${o.bitOffset}:${o.bitSize ?? 0}, bpftool @${m.bits_offset}:${m.bitfield_size ?? 0}`,
        );
      }
    });
  }
  assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} differences over ${compared} records`);
  assert.equal(ours.records.filter((r) => r.name !== null).length, compared, 'no records bpftool does not list');
  return compared;
}

test(
  'every named struct and union of /sys/kernel/btf/vmlinux matches bpftool',
  { skip: !hasBtf ? 'no /sys/kernel/btf/vmlinux' : !haveTool('bpftool') && 'bpftool not installed' },
  () => {
    const compared = matchBpftool(VMLINUX);
    assert.ok(compared > 1000);
    console.log(`# vmlinux BTF: ${compared} named structs and unions match bpftool`);
  },
);

// Debian's own kernel (linux-image-*-amd64, unpacked at test time by scripts/install-test-deps.sh):
// the vmlinux BTF (extracted from the bzImage; raw, and as an ELF keeping only .BTF) and ip_vs.ko's
// split BTF over it. bpftool -B dumps only the module's own types, and layoutof lists only those too.
const IMAGE = '.cache/kernel-image-amd64';
const hasImage = ['vmlinux.btf', 'vmlinux', 'ip_vs.ko'].every((f) => existsSync(join(IMAGE, f)));
const imageSkip = !hasImage
  ? `no ${IMAGE} (scripts/install-test-deps.sh unpacks linux-image-*-amd64 there)`
  : !haveTool('bpftool') && 'bpftool not installed';

test(
  "Debian's vmlinux BTF and ip_vs.ko's split BTF over it match bpftool; ip_vs_conn is 288 bytes",
  { skip: imageSkip },
  () => {
    const base = join(IMAGE, 'vmlinux.btf');
    const elf = join(IMAGE, 'vmlinux');
    const mod = join(IMAGE, 'ip_vs.ko');
    const inBase = matchBpftool(base);
    const inModule = matchBpftool(mod, base);
    assert.ok(inBase > 1000 && inModule > 10, `${inBase} / ${inModule}`);
    assert.equal(matchBpftool(elf), inBase, 'the ELF .BTF section reads like the raw blob');
    assert.equal(matchBpftool(mod, elf), inModule, 'an ELF base works like a raw one');
    console.log(
      `# Debian vmlinux BTF: ${inBase} named structs and unions match bpftool (raw and ELF); ip_vs.ko split BTF: ${inModule}`,
    );

    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/run.ts', '--btf', '--btf-base', elf, '--format', 'json', mod, 'ip_vs_conn'],
      { encoding: 'utf8' },
    );
    assert.equal(cli.status, 0, cli.stderr);
    const rec = JSON.parse(cli.stdout).records[0];
    assert.equal(rec.size, 288);
    assert.equal(rec.cachelines, 5);
    assert.equal(rec.holes.length, 5);
    assert.equal(
      rec.holes.reduce((a: number, h: { size: number }) => a + h.size, 0),
      23,
    );
    // Without --btf-base a module's BTF cannot be read, and the message says what to pass.
    const alone = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', mod, 'ip_vs_conn'], {
      encoding: 'utf8',
    });
    assert.notEqual(alone.status, 0);
    assert.doesNotMatch(alone.stderr, /\n\s+at /);
  },
);

test(
  'truncated and corrupted BTF ends in an error, never a crash or a hang',
  { skip: !hasBtf && 'no /sys/kernel/btf/vmlinux' },
  () => {
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
      for (const d of res.diagnostics.list)
        assert.match(d.message, /BTF|truncated|corrupt|unterminated|out of range|cycle|too/);
    }
    const bad = analyzeBinary(new Uint8Array([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]), {
      path: 'tiny.btf',
    });
    assert.equal(bad.diagnostics.errors, 1);
    assert.match(bad.diagnostics.list[0]!.message, /truncated or corrupt input/);
  },
);
