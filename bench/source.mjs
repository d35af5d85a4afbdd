// Issue 2's benchmark: layoutof (the built CLI, cold process each run) against `gcc -fsyntax-only`
// on the same inputs, median of several runs, printed as a ratio. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'layoutof-bench-'));
const headers = [
  'stdio.h',
  'stdlib.h',
  'string.h',
  'signal.h',
  'pthread.h',
  'sys/stat.h',
  'sys/socket.h',
  'netinet/in.h',
  'netinet/ip.h',
  'netinet/tcp.h',
  'elf.h',
  'link.h',
  'sys/epoll.h',
  'termios.h',
  'time.h',
  'sched.h',
  'ucontext.h',
  'wchar.h',
  'math.h',
  'fcntl.h',
  'dirent.h',
  'sys/mman.h',
  'netdb.h',
  'regex.h',
];
const hdrTu = join(dir, 'headers.c');
writeFileSync(hdrTu, '#define _GNU_SOURCE 1\n' + headers.map((h) => `#include <${h}>`).join('\n') + '\n');

// A generated file of many records (the differential generator's shapes, written out directly).
let big = '#include <stdint.h>\n';
for (let i = 0; i < 5000; i++) {
  big += `struct r${i} { char c${i}; int a:${1 + (i % 31)}; uint64_t x; ${i ? `struct r${i - 1} prev;` : ''} short s[${1 + (i % 7)}]; } __attribute__((aligned(${1 << (i % 5)})));\n`;
}
const bigTu = join(dir, 'records.c');
writeFileSync(
  bigTu,
  big.replace(/struct r(\d+) prev;/g, (m, n) => (Number(n) % 50 === 0 ? m : 'void *prev;')),
);

function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && cmd === 'gcc') throw new Error(`${cmd} failed: ${r.stderr}`);
  return ms;
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const runs = Number(process.env.BENCH_RUNS ?? 7);
for (const [label, file] of [
  ['24 glibc headers', hdrTu],
  ['5,000 generated records', bigTu],
]) {
  const ours = median(Array.from({ length: runs }, () => time('bin/layoutof', ['--all', '--format', 'json', file])));
  const gcc = median(Array.from({ length: runs }, () => time('gcc', ['-fsyntax-only', '-std=gnu11', '-w', file])));
  console.log(
    `${label.padEnd(26)} layoutof ${ours.toFixed(0).padStart(6)} ms   gcc -fsyntax-only ${gcc.toFixed(0).padStart(6)} ms   ratio ${(ours / gcc).toFixed(2)}`,
  );
}
