// Holes explained in words: each hole's cause as the text and markdown views print it in the hole's
// note, and the list of a record's holes, largest first, that --explain adds under the summary.
// Formatting only: the causes come from src/analyze/hole-cause.ts.

import type { HoleCause, HoleCauses } from '../analyze/hole-cause.js';
import type { RecordView } from '../analyze/layout-view.js';
import { resolveType, type TypeRef } from '../model/model.js';
import { typeName } from '../model/print.js';

/** An unnamed member's type as named in a sentence: `struct` or `union` for a record written out. */
function unnamedKind(type: string): string {
  return /^(struct|union) \{/.test(type) ? type.split(' ')[0]! : type;
}

/** "timer (struct timer_list) needs 8-byte alignment"; `tail`: the cause of the tail padding. */
export function describeCause(c: HoleCause, tail = false): string {
  const m = c.member;
  const who = !m
    ? 'the record'
    : m.name !== null
      ? `${m.name} (${isFunctionPointer(m.type) ? 'a function pointer' : typeName(m.type)})`
      : `the unnamed ${unnamedKind(typeName(m.type))}`;
  switch (c.cause) {
    case 'alignment':
      return `${who} needs ${c.align}-byte alignment`;
    case 'explicit-alignment':
      if (c.inferred)
        return tail || !m
          ? `the size is rounded to the record's ${c.align}-byte alignment, more than any member needs: ` +
              'an aligned() the input does not record'
          : `${who} starts on a ${c.align}-byte boundary, more than its ${m.align}-byte alignment needs: ` +
              `an aligned(${c.align}), or a zero-width or unnamed bitfield before it, ` +
              'which the input does not record';
      if (tail)
        return (
          `the size is rounded to the record's ${c.align}-byte alignment, ` +
          `set by ${m ? `${who}, explicitly aligned` : 'an aligned() on the record'}`
        );
      return m
        ? `${who} is explicitly aligned to ${c.align} bytes`
        : `the record is explicitly aligned to ${c.align} bytes`;
    case 'bitfield-unit':
      return `${m?.name ?? 'a bitfield'}:${m?.bitSize} would straddle its ${m?.size}-byte unit`;
    case 'zero-width-bitfield':
      return `a zero-width bitfield starts a new ${c.align}-byte unit before ${m?.name ?? 'the next member'}`;
    case 'msvc-bitfield-type': {
      const prev = c.previous;
      return (
        `MSVC starts a new unit for ${m?.name ?? 'a bitfield'}: its declared type (${m ? typeName(m.type) : '?'}) ` +
        `differs from ${prev?.name ?? 'the previous bitfield'}'s (${prev ? typeName(prev.type) : '?'})`
      );
    }
    case 'pack':
      if (c.inferred)
        return (
          `${who} is aligned to ${plural(c.align!, 'byte')}, less than its natural ${c.natural}: ` +
          'the record is packed ' +
          `(#pragma pack(${c.pack}), or packed with aligned(${c.pack}); the input does not record which)`
        );
      return `${who} needs ${c.align}-byte alignment under #pragma pack(${c.pack})`;
    case 'unnamed-bitfield':
      return (
        `${m ? who : 'the next member'} starts past where any alignment puts it: ` +
        'padding the input does not record (an unnamed bitfield)'
      );
    case 'record-alignment':
      return m
        ? `the size is rounded to the record's ${c.align}-byte alignment, set by ${who}`
        : `the size is rounded to the record's ${c.align}-byte alignment`;
  }
}

/** A function pointer's full spelling would drown the note. */
function isFunctionPointer(t: TypeRef): boolean {
  const p = resolveType(t);
  return p.kind === 'pointer' && resolveType(p.to).kind === 'func';
}

/** "byte:bit", as the views place bitfields. */
const bitPlace = (bitOffset: number): string => `${Math.floor(bitOffset / 8)}:${bitOffset % 8}`;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** The tail padding's note: "7 bytes of tail padding: the size is rounded to ...". */
export function describeTail(v: RecordView, causes: HoleCauses): string | undefined {
  if (!causes.tail || v.tailPadding <= 0 || v.record.incomplete) return undefined;
  return `${plural(v.tailPadding, 'byte')} of tail padding: ${describeCause(causes.tail, true)}`;
}

/** --explain: the record's holes, bit holes and tail padding, largest first, each with its cause. */
export function holesLargestFirst(v: RecordView, causes: HoleCauses): string[] {
  const items: [number, string][] = [];
  v.holes.forEach((h, i) =>
    items.push([h.size * 8, `${plural(h.size, 'byte')} at ${h.offset}: ${describeCause(causes.holes[i]!)}`]),
  );
  v.bitHoles.forEach((h, i) =>
    items.push([h.bits, `${plural(h.bits, 'bit')} at ${bitPlace(h.bitOffset)}: ${describeCause(causes.bitHoles[i]!)}`]),
  );
  const tail = describeTail(v, causes);
  if (tail) items.push([v.tailPadding * 8, tail]);
  // (A stable sort: equal sizes keep the record's order.)
  return items.sort((a, b) => b[0] - a[0]).map(([, s]) => s);
}
