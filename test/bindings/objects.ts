// Initialised objects for the binding round trips: for each generated record, C objects whose members
// are set to values at each width's limits (negative signed bitfields, all-ones unsigned ones, _Bool,
// enums, floats exact in every format, pointers), compiled by gcc; the expected value of every member
// path, and the compiled bytes read back as the gcc-truth harness reads its probes (nm + objcopy).

import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveType, type RecordType, type TypeRef } from '../../src/model/model.js';
import { typeName } from '../../src/model/print.js';
import type { Target } from '../../src/target/target.js';
import { classify } from '../../src/analyze/scalar.js';
import { rng } from '../support/gen.js';
import type { Toolchain } from '../support/gcc-truth.js';

export type Expect =
  | { readonly kind: 'int'; readonly v: bigint }
  | { readonly kind: 'bool'; readonly v: boolean }
  | { readonly kind: 'float'; readonly v: number }
  | { readonly kind: 'complex'; readonly re: number; readonly im: number }
  | { readonly kind: 'ptr'; readonly v: bigint };

export interface Expectation {
  readonly path: readonly (string | number)[];
  readonly value: Expect;
}

export interface ObjectSpec {
  readonly symbol: string;
  readonly record: RecordType;
  readonly expects: readonly Expectation[];
}

const FLOATS = [1.5, -2.25, 0.375, -1000.5, 0];

/** C source for `objects` initialised objects of each record, and what each member must read. */
export function initialisedObjects(
  records: readonly RecordType[],
  target: Target,
  seed: number,
  perRecord = 2,
): { source: string; objects: ObjectSpec[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let source = '';
  const objects: ObjectSpec[] = [];
  const intLimits = (bits: number, signed: boolean): bigint[] => {
    const b = BigInt(bits);
    return signed
      ? [-(1n << (b - 1n)), (1n << (b - 1n)) - 1n, -1n, bits > 1 ? 1n : 0n]
      : [(1n << b) - 1n, 1n, ((1n << b) - 1n) / 3n, 0n];
  };

  const init = (rec: RecordType, path: (string | number)[], expects: Expectation[]): string => {
    const parts: string[] = [];
    const designate = (rr: RecordType, into: string[]): void => {
      const members = rr.members.filter((m) => !(m.name === null && m.bitSize !== undefined));
      const chosen = rr.kind === 'union' ? (members.length ? [pick(members)] : []) : members;
      for (const m of chosen) {
        if (m.name === null) {
          const t = resolveType(m.type);
          if (t.kind === 'record') designate(t.record, into);
          continue;
        }
        const v =
          m.bitSize !== undefined
            ? bitfieldValue(m.type, m.bitSize, [...path, m.name], expects)
            : value(m.type, m.size, [...path, m.name], expects);
        if (v !== undefined) into.push(`.${m.name} = ${v}`);
      }
    };
    designate(rec, parts);
    return `{ ${parts.join(', ')} }`;
  };

  const bitfieldValue = (t: TypeRef, width: number, path: (string | number)[], expects: Expectation[]): string => {
    const s = classify(t, target);
    if (s.kind === 'int' && s.bool) {
      const b = r() < 0.7;
      expects.push({ path, value: { kind: 'bool', v: b } });
      return b ? '1' : '0';
    }
    const signed = (s.kind === 'int' || s.kind === 'enum') && s.signed;
    const v = pick(intLimits(width, signed));
    expects.push({ path, value: { kind: 'int', v } });
    return cInt(v);
  };

  const value = (t: TypeRef, size: number, path: (string | number)[], expects: Expectation[]): string | undefined => {
    const s = classify(t, target);
    switch (s.kind) {
      case 'int':
      case 'enum': {
        if (s.kind === 'int' && s.bool) {
          const b = r() < 0.7;
          expects.push({ path, value: { kind: 'bool', v: b } });
          return b ? '1' : '0';
        }
        const v =
          s.kind === 'enum' && s.values.length && r() < 0.5
            ? pick(s.values).value
            : pick(intLimits(s.size * 8, s.signed));
        expects.push({ path, value: { kind: 'int', v } });
        return cInt(v);
      }
      case 'float': {
        const re = pick(FLOATS);
        if (!s.complex) {
          expects.push({ path, value: { kind: 'float', v: re } });
          return String(re);
        }
        const im = pick(FLOATS);
        expects.push({ path, value: { kind: 'complex', re, im } });
        const part = (resolveType(t) as { name: string }).name.replace(/_Complex\s*/, '');
        return `__builtin_complex((${part})${re}, (${part})${im})`;
      }
      case 'pointer': {
        const v =
          target.pointer.size === 8
            ? pick([0x7fedcba987654321n, 0xfedcba9876543210n, 0x1000n])
            : pick([0x87654321n, 0x1000n]);
        expects.push({ path, value: { kind: 'ptr', v } });
        return `(${typeName(t)})0x${v.toString(16)}ULL`;
      }
      case 'array': {
        if (s.length === 0) return undefined;
        const es = size / s.length;
        const items: string[] = [];
        for (let i = 0; i < s.length; i++) items.push(value(s.of, es, [...path, i], expects) ?? '{ 0 }');
        return `{ ${items.join(', ')} }`;
      }
      case 'record':
        return s.record.size ? init(s.record, path, expects) : undefined;
      case 'opaque':
        return undefined;
    }
  };

  records.forEach((rec, i) => {
    const ctype = rec.name !== null ? `${rec.kind} ${rec.name}` : rec.typedef!;
    for (let k = 0; k < perRecord; k++) {
      const expects: Expectation[] = [];
      const symbol = `lo_o${i}_${k}`;
      source += `const ${ctype} ${symbol} __attribute__((section(".lo_obj"))) = ${init(rec, [], expects)};\n`;
      objects.push({ symbol, record: rec, expects });
    }
  });
  return { source, objects };
}

/** A C constant expression of value v that converts to any integer type of its width. */
function cInt(v: bigint): string {
  if (v < 0n) return v >= -(1n << 63n) ? `(-(long long)${cInt(-v - 1n)} - 1)` : `(-(__int128)${cInt(-v - 1n)} - 1)`;
  if (v < 1n << 64n) return `${v}ULL`;
  return `(((unsigned __int128)${v >> 64n}ULL << 64) | ${v & ((1n << 64n) - 1n)}ULL)`;
}

/** Compiles `source` with `tc` and returns the .lo_obj section's bytes and each symbol's offset in it. */
export function compileObjects(source: string, tc: Toolchain): { bytes: Uint8Array; offsets: Map<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'layoutof-objects-'));
  try {
    const src = join(dir, 'o.c');
    const obj = join(dir, 'o.o');
    const bin = join(dir, 'o.bin');
    writeFileSync(src, source);
    const r = spawnSync(
      tc.cc,
      ['-std=gnu11', '-w', '-c', '-O0', '-fno-toplevel-reorder', ...tc.flags, '-o', obj, src],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`${tc.cc} failed:\n${r.stderr.slice(0, 4000)}`);
    execFileSync(tc.objcopy, ['-O', 'binary', '--only-section=.lo_obj', obj, bin]);
    const offsets = new Map<string, number>();
    for (const line of execFileSync(tc.nm, ['--defined-only', obj], { encoding: 'utf8' }).split('\n')) {
      const m = /^([0-9a-f]+) \w (lo_o\w+)$/.exec(line.trim());
      if (m) offsets.set(m[2]!, parseInt(m[1]!, 16));
    }
    return { bytes: new Uint8Array(readFileSync(bin)), offsets };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
