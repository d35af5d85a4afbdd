// A seeded generator of random C records mixing every layout rule: scalar and aligned typedef
// members, arrays (multi-dimensional, zero-length, flexible), bitfields of every width (zero-width,
// unnamed, _Bool, enum, typedefs aligned below and beyond their size, an aligned() of their own),
// packed and aligned on records and members, #pragma pack, nested named and anonymous
// structs/unions, _Atomic and _Alignas. Same seed, same program.

import type { ProbeRecord } from './gcc-truth.js';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PRELUDE = `enum e_small { ES_A, ES_B, ES_C };
enum __attribute__((packed)) e_packed { EP_A, EP_B = 200 };
enum e_neg { EN_A = -5, EN_B = 7 };
enum e_big { EB_A = 1, EB_B = 0x100000000LL };
enum __attribute__((packed)) e_pneg { EPN_A = -100, EPN_B = 100 };
typedef int ti_a2 __attribute__((aligned(2)));
typedef int ti_a16 __attribute__((aligned(16)));
typedef long tl_a4 __attribute__((aligned(4)));
typedef char tc_a8 __attribute__((aligned(8)));
typedef short ts_a32 __attribute__((aligned(32)));
typedef unsigned long long tull;
typedef struct { char c; double d; } tpair;
typedef struct __attribute__((packed)) { char c; int i; } tpacked;
`;

export const MSVC_PRELUDE = `enum e_small { ES_A, ES_B, ES_C };
enum e_neg { EN_A = -5, EN_B = 7 };
typedef __declspec(align(16)) int ti_a16;
typedef __declspec(align(8)) char tc_a8;
typedef __declspec(align(32)) short ts_a32;
typedef unsigned long long tull;
typedef struct { char c; double d; } tpair;
#pragma pack(push, 1)
typedef struct { char c; int i; } tpacked;
#pragma pack(pop)
`;

const MSVC_EXCLUDED = /_Atomic|_Complex|__int128|e_packed|e_big|e_pneg|ti_a2|tl_a4|\(\*\)/;

const SCALARS = [
  'char',
  'signed char',
  'unsigned char',
  'short',
  'unsigned short',
  'int',
  'unsigned int',
  'long',
  'unsigned long',
  'long long',
  'unsigned long long',
  '__int128',
  'float',
  'double',
  'long double',
  '_Bool',
  'void *',
  'char *',
  'enum e_small',
  'enum e_packed',
  'enum e_neg',
  'enum e_big',
  'enum e_pneg',
  'ti_a2',
  'ti_a16',
  'tl_a4',
  'tc_a8',
  'ts_a32',
  'tull',
  'tpair',
  'tpacked',
  '_Atomic int',
  '_Atomic long long',
  '_Complex float',
  '_Complex double',
  'int (*)(void)',
];

const OVERALIGNED = new Set(['ti_a16', 'tc_a8', 'ts_a32']);

const BITFIELD_TYPES: [string, number, boolean?][] = [
  ['char', 8],
  ['signed char', 8],
  ['unsigned char', 8],
  ['short', 16],
  ['unsigned short', 16],
  ['int', 32],
  ['unsigned int', 32],
  ['long', 64],
  ['unsigned long', 64],
  ['long long', 64],
  ['unsigned long long', 64],
  ['_Bool', 1, true],
  ['enum e_small', 32],
  ['enum e_packed', 8],
  ['unsigned', 32],
  ['signed', 32],
];
/** Bitfield types aligned apart from their size (GNU only): below it, and beyond it (such a bitfield
 *  starts at its alignment). */
const ALIGNED_BITFIELD_TYPES: [string, number][] = [
  ['ti_a2', 32],
  ['ti_a16', 32],
  ['ts_a32', 16],
];

export interface GenOptions {
  /** The target has no __int128 (32-bit targets). */
  readonly noInt128?: boolean;
  /** Bits in long (32 on ILP32 targets). */
  readonly longBits?: number;
  /** MSVC dialect: __declspec(align(N)) instead of GNU attributes; no _Atomic, _Complex, __int128,
   *  packed enums or zero-length arrays. */
  readonly msvc?: boolean;
}

interface Ctx {
  r: () => number;
  opts: GenOptions;
  names: number;
  /** Earlier records usable as member types (no flexible array member). */
  nested: string[];
}

export interface GeneratedProgram {
  readonly source: string;
  readonly probes: ProbeRecord[];
  /** Tags in probe order. */
  readonly tags: string[];
}

export function generateProgram(seed: number, count: number, opts: GenOptions = {}): GeneratedProgram {
  const ctx: Ctx = { r: rng(seed), names: 0, nested: [], opts };
  let src = opts.msvc ? MSVC_PRELUDE : PRELUDE;
  const probes: ProbeRecord[] = [];
  const tags: string[] = [];
  for (let i = 0; i < count; i++) {
    const tag = `r${seed.toString(36)}_${i}`;
    const rec = genRecord(ctx, tag, 0);
    const pack = ctx.r() < 0.12 ? pick(ctx, [1, 2, 4, 8, 16]) : 0;
    if (pack) src += `#pragma pack(push, ${pack})\n`;
    src += rec.text + ';\n';
    if (pack) src += `#pragma pack(pop)\n`;
    probes.push({ ctype: `${rec.kind} ${tag}`, fields: rec.fields, sized: rec.sized, bitfields: rec.bitfields });
    tags.push(tag);
    if (!rec.hasFam && ctx.r() < 0.6) ctx.nested.push(`${rec.kind} ${tag}`);
    if (ctx.nested.length > 12) ctx.nested.shift();
  }
  return { source: src, probes, tags };
}

function pick<T>(ctx: Ctx, xs: readonly T[]): T {
  return xs[Math.floor(ctx.r() * xs.length)]!;
}

interface GenRecord {
  kind: 'struct' | 'union';
  text: string;
  fields: string[];
  /** The fields whose sizeof is checked (all but a flexible array). */
  sized: string[];
  bitfields: { name: string; bool?: boolean }[];
  hasFam: boolean;
}

function genRecord(ctx: Ctx, tag: string | null, depth: number): GenRecord {
  const r = ctx.r;
  const kind: 'struct' | 'union' = r() < 0.75 ? 'struct' : 'union';
  const fields: string[] = [];
  const sized: string[] = [];
  const bitfields: { name: string; bool?: boolean }[] = [];
  const n = 1 + Math.floor(r() * (depth ? 4 : 8));
  const lines: string[] = [];
  let hasFam = false;
  let direct = 0;
  for (let k = 0; k < n; k++) {
    const name = `m${ctx.names++}`;
    const roll = r();
    let attr = '';
    let pre = '';
    if (ctx.opts.msvc) {
      if (r() < 0.1) pre = `__declspec(align(${pick(ctx, [1, 2, 4, 8, 16, 32])})) `;
    } else {
      if (r() < 0.1) attr += ` __attribute__((aligned(${pick(ctx, [1, 2, 4, 8, 16, 32])})))`;
      if (r() < 0.06) attr += ' __attribute__((packed))';
    }
    if (roll < 0.35) {
      // Bitfield.
      let [type, declBits, isBool] = pick(ctx, BITFIELD_TYPES);
      if (!ctx.opts.msvc && r() < 0.06) [[type, declBits], isBool] = [pick(ctx, ALIGNED_BITFIELD_TYPES), false];
      if (ctx.opts.msvc && type === 'enum e_packed') [type, declBits] = ['unsigned char', 8];
      const bits = /^(unsigned )?long$/.test(type) ? (ctx.opts.longBits ?? declBits) : declBits;
      if (r() < 0.12) {
        const w = r() < 0.5 ? 0 : 1 + Math.floor(r() * bits);
        lines.push(`${type} : ${w};`);
        continue;
      }
      // (Widths of a whole integer mode are more likely: gcc then lays the bitfield out as a member.)
      const w = isBool ? 1 : r() < 0.15 ? Math.min(bits, pick(ctx, [8, 16, 32, 64])) : 1 + Math.floor(r() * bits);
      // An aligned() on a bitfield (GNU) is kept now and then, as packed is.
      const battr = ctx.opts.msvc ? '' : attr.replace(/ __attribute__\(\(packed\)\)/, '');
      lines.push(
        `${type} ${name} : ${w}${battr && r() < 0.5 ? battr : ''}${attr.includes('packed') ? ' __attribute__((packed))' : ''};`,
      );
      bitfields.push({ name, bool: isBool });
      direct++;
      continue;
    }
    if (roll < 0.45 && depth < 2) {
      // Anonymous nested record.
      const sub = genRecord(ctx, null, depth + 1);
      lines.push(`${sub.text.replace(/\n/g, '\n  ')}${attr};`);
      fields.push(...sub.fields);
      sized.push(...sub.sized);
      bitfields.push(...sub.bitfields);
      continue;
    }
    if (roll < 0.52 && ctx.nested.length) {
      lines.push(`${pre}${pick(ctx, ctx.nested)} ${name}${attr};`);
      fields.push(name);
      sized.push(name);
      direct++;
      continue;
    }
    let type = pick(ctx, SCALARS);
    if (ctx.opts.noInt128 && type === '__int128') type = 'long long';
    if (ctx.opts.msvc && MSVC_EXCLUDED.test(type)) type = 'long';
    let decl: string;
    if (type.includes('(*)')) decl = type.replace('(*)', `(*${name})`);
    else decl = `${type} ${name}`;
    if (r() < 0.15 && !type.includes('(*)') && !type.startsWith('_Atomic') && !OVERALIGNED.has(type)) {
      const dims =
        r() < 0.3
          ? `[${1 + Math.floor(r() * 3)}][${1 + Math.floor(r() * 3)}]`
          : r() < 0.1 && !ctx.opts.msvc
            ? '[0]'
            : `[${1 + Math.floor(r() * 5)}]`;
      decl += dims;
    }
    if (r() < 0.05 && !type.startsWith('_Atomic') && !OVERALIGNED.has(type) && !ctx.opts.msvc)
      decl = `_Alignas(${pick(ctx, [16, 32, 64])}) ${decl}`;
    lines.push(`${pre}${decl}${attr};`);
    fields.push(name);
    sized.push(name);
    direct++;
  }
  if (kind === 'struct' && depth === 0 && r() < 0.06 && direct > 0) {
    const name = `m${ctx.names++}`;
    lines.push(`${pick(ctx, ['char', 'int', 'long', 'short', 'tpair'])} ${name}[];`);
    fields.push(name);
    hasFam = true;
  }
  let rattr = '';
  let rpre = '';
  if (ctx.opts.msvc) {
    if (r() < 0.1) rpre = ` __declspec(align(${pick(ctx, [1, 2, 4, 8, 16, 64])}))`;
  } else {
    if (r() < 0.12) rattr += ' __attribute__((packed))';
    if (r() < 0.1) rattr += ` __attribute__((aligned(${pick(ctx, [1, 2, 4, 8, 16, 64])})))`;
  }
  const text = `${kind}${rpre}${tag ? ' ' + tag : ''} {\n  ${lines.join('\n  ')}\n}${rattr}`;
  return { kind, text, fields, sized, bitfields, hasFam };
}
