// Decoded objects as text (pahole --prettify's shape: one member a line, nested records indented,
// enums by name, char arrays as strings, pointers in hex) or JSON (nested records as objects, arrays as
// arrays, integers beyond ±2^53 as decimal strings so that no reader rounds them).

import type { Decoded } from '../analyze/decode.js';

export interface DecodedObject {
  readonly name: string;
  readonly offset: number;
  readonly value: Decoded;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A decoded value as plain JSON data. */
export function decodedToJson(d: Decoded): unknown {
  switch (d.kind) {
    case 'int':
      if (d.bool) return d.value !== 0n;
      if (d.enumName !== undefined) return d.enumName;
      return d.value > SAFE || d.value < -SAFE ? d.value.toString() : Number(d.value);
    case 'float': {
      const f = (x: number): number | string => (Number.isFinite(x) ? x : String(x));
      return d.im === undefined ? f(d.value) : { re: f(d.value), im: f(d.im) };
    }
    case 'pointer':
      return '0x' + d.value.toString(16);
    case 'array':
      return d.items.map(decodedToJson);
    case 'record':
      return Object.fromEntries(d.fields.map(([k, v]) => [k, decodedToJson(v)]));
    case 'bytes':
      return [...d.bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
}

export function renderDecodedJson(target: string, objects: readonly DecodedObject[]): string {
  const out = {
    target,
    objects: objects.map((o) => ({ name: o.name, offset: o.offset, values: decodedToJson(o.value) })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

export function renderDecodedText(objects: readonly DecodedObject[]): string {
  return objects.map((o) => `${o.name} @ ${o.offset} = ${text(o.value, '')};\n`).join('');
}

function text(d: Decoded, indent: string): string {
  switch (d.kind) {
    case 'int':
      if (d.bool) return d.value !== 0n ? 'true' : 'false';
      return d.enumName ?? d.value.toString();
    case 'float':
      return d.im === undefined ? String(d.value) : `${d.value} + ${d.im}i`;
    case 'pointer':
      return '0x' + d.value.toString(16);
    case 'bytes':
      return `<${[...d.bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}>`;
    case 'array':
      if (d.chars) return charString(d.items);
      return `{ ${d.items.map((i) => text(i, indent + '\t')).join(', ')} }`;
    case 'record': {
      if (d.fields.length === 0) return '{}';
      const inner = indent + '\t';
      return `{\n${d.fields.map(([k, v]) => `${inner}.${k} = ${text(v, inner)},\n`).join('')}${indent}}`;
    }
  }
}

/** A char array as a C string literal up to its first NUL (the rest is usually padding). */
function charString(items: readonly Decoded[]): string {
  let s = '"';
  for (const i of items) {
    if (i.kind !== 'int') break;
    const c = Number(i.value < 0n ? i.value + 256n : i.value);
    if (c === 0) break;
    if (c === 0x22 || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return s + '"';
}
