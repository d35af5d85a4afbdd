// x86_64-windows-msvc against clang's MSVC-compatible layout (--target=x86_64-windows-msvc, compile-only,
// COFF objects read with GNU binutils): LLP64 sizes, Microsoft bitfield units, #pragma pack, __declspec(align).
import { test } from 'node:test';
import { findTarget } from '../../src/target/target.js';
import { haveTool, type Toolchain } from '../support/gcc-truth.js';
import { runGenerated, seedRange } from '../support/differential.js';

const target = findTarget('x86_64-windows-msvc')!;
const tc: Toolchain = {
  cc: 'clang',
  nm: 'nm',
  objcopy: 'objcopy',
  flags: ['--target=x86_64-windows-msvc', '-fms-extensions', '-Wno-everything'],
  endian: 'little',
};
const batches = Number(process.env.LAYOUTOF_MSVC_BATCHES ?? 20);

test(
  'x86_64-windows-msvc: generated records match clang --target=x86_64-windows-msvc',
  { skip: !haveTool('clang') && 'clang not installed' },
  () => {
    runGenerated(target, tc, seedRange(900, batches), 250, { msvc: true, longBits: 32 });
  },
);
