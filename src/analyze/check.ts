// --check: the records of a saved `--format json` baseline against the input's, per target. Both sides
// are read back from the JSON schema (the input's records are rendered to it first), so what the
// baseline could not record cannot show up as a change; the comparison is diffLayouts' plus alignment.

import { diffLayouts, type RecordDiff } from './diff.js';
import { requireExact } from './exact.js';
import type { Member, RecordType, TypeRef } from '../model/model.js';

/** One target's records as `--format json` writes them (fields beyond these are ignored). */
export interface BaselineDoc {
  readonly target: string;
  readonly records: readonly RecordType[];
}

export class BaselineError extends Error {}

/** The JSON documents of a baseline: one `{ target, records }` object, an array of them, or several
 *  written one after another (a loop over targets appending to one file). */
export function parseBaseline(text: string): BaselineDoc[] {
  const docs: unknown[] = [];
  for (const part of splitDocuments(text)) {
    let v: unknown;
    try {
      v = JSON.parse(part);
    } catch (e) {
      throw new BaselineError(`not JSON: ${(e as Error).message}`);
    }
    if (Array.isArray(v)) docs.push(...(v as unknown[]));
    else docs.push(v);
  }
  if (docs.length === 0) throw new BaselineError('no JSON document in it');
  return docs.map((d, i) => {
    const o = d as { target?: unknown; records?: unknown };
    if (typeof o !== 'object' || o === null || typeof o.target !== 'string' || !Array.isArray(o.records))
      throw new BaselineError(`document ${i + 1} is not layoutof's --format json output (no target and records)`);
    return {
      target: o.target,
      records: o.records.map((r, k) => recordFromJson(r, `document ${i + 1}, record ${k + 1}`)),
    };
  });
}

/** Splits text holding JSON values one after another at each top-level value's end. */
function splitDocuments(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) out.push(text.slice(start, i + 1));
      if (depth < 0) throw new BaselineError(`unbalanced '${c}' at character ${i}`);
    } else if (depth === 0 && !/\s/.test(c)) throw new BaselineError(`unexpected '${c}' at character ${i}`);
  }
  if (depth !== 0) throw new BaselineError('cut short: a JSON value is not closed');
  return out;
}

interface JsonMember {
  name?: unknown;
  type?: unknown;
  offset?: unknown;
  size?: unknown;
  align?: unknown;
  bitOffset?: unknown;
  bitSize?: unknown;
  members?: unknown;
}

const num = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BaselineError(`${what} is not a number`);
  return v;
};

/** A record of the JSON schema as a model Record; members at bit offsets within their record again. */
export function recordFromJson(j: unknown, where: string): RecordType {
  const o = j as {
    name?: unknown;
    typedef?: unknown;
    kind?: unknown;
    size?: unknown;
    align?: unknown;
    members?: unknown;
  };
  if (typeof o !== 'object' || o === null) throw new BaselineError(`${where} is not an object`);
  const kind = o.kind === 'union' ? 'union' : 'struct';
  if (o.kind !== 'struct' && o.kind !== 'union') throw new BaselineError(`${where}: kind must be struct or union`);
  return {
    kind,
    name: typeof o.name === 'string' ? o.name : null,
    ...(typeof o.typedef === 'string' ? { typedef: o.typedef } : {}),
    size: num(o.size, `${where}: size`),
    align: num(o.align, `${where}: align`),
    members: membersFromJson(o.members, 0, where),
  };
}

function membersFromJson(list: unknown, baseBits: number, where: string): Member[] {
  if (!Array.isArray(list)) throw new BaselineError(`${where}: members is not a list`);
  return list.map((x: JsonMember, i) => {
    const at = `${where}, member ${typeof x.name === 'string' ? x.name : i + 1}`;
    const offset = num(x.offset, `${at}: offset`);
    const abs = x.bitOffset !== undefined ? num(x.bitOffset, `${at}: bitOffset`) : offset * 8;
    const size = num(x.size, `${at}: size`);
    const name = typeof x.name === 'string' ? x.name : null;
    const typeName = typeof x.type === 'string' ? x.type : '?';
    let type: TypeRef = { kind: 'base', name: typeName, size, align: 1 };
    // An anonymous member's own members (the schema lists them at offsets from the top record).
    if (name === null && Array.isArray(x.members)) {
      const kindOf = typeName.startsWith('union') ? 'union' : 'struct';
      type = {
        kind: 'record',
        record: { kind: kindOf, name: null, size, align: 1, members: membersFromJson(x.members, abs, at) },
      };
    }
    const m: Member = {
      name,
      type,
      bitOffset: abs - baseBits,
      size,
      align: x.align === undefined ? 1 : num(x.align, `${at}: align`),
      ...(x.bitSize !== undefined ? { bitSize: num(x.bitSize, `${at}: bitSize`) } : {}),
    };
    return m;
  });
}

export interface AlignChange {
  readonly name: string;
  readonly before: number;
  readonly after: number;
}

export interface CheckResult {
  readonly target: string;
  readonly changed: readonly RecordDiff[];
  readonly alignment: readonly AlignChange[];
  /** Baseline records the input no longer has. */
  readonly missing: readonly string[];
  readonly unchanged: number;
}

const keyOf = (r: RecordType): string => (r.name !== null ? `${r.kind} ${r.name}` : (r.typedef ?? ''));

/** The baseline's records (or those named in `only`) against the input's. */
export function checkLayouts(
  target: string,
  baseline: readonly RecordType[],
  current: readonly RecordType[],
  only?: readonly string[],
): CheckResult {
  requireExact([...baseline, ...current], '--check'); // (InexactRecordError past 2^50 bytes)
  const wanted = (r: RecordType): boolean =>
    !only || only.some((n) => n === r.name || n === r.typedef || n === keyOf(r));
  const before = baseline.filter(wanted);
  const names = new Set(before.map(keyOf));
  const after = current.filter((r) => names.has(keyOf(r)));
  const d = diffLayouts(before, after);
  const byKey = new Map(after.map((r) => [keyOf(r), r]));
  const alignment: AlignChange[] = [];
  for (const r of before) {
    const now = byKey.get(keyOf(r));
    if (now && now.align !== r.align) alignment.push({ name: keyOf(r), before: r.align, after: now.align });
  }
  const changedNames = new Set(d.changed.map((c) => c.name));
  const newlyChanged = alignment.filter((a) => !changedNames.has(a.name)).length;
  return { target, changed: d.changed, alignment, missing: d.onlyBefore, unchanged: d.unchanged - newlyChanged };
}

export function checkPassed(results: readonly CheckResult[]): boolean {
  return results.every((r) => r.changed.length === 0 && r.alignment.length === 0 && r.missing.length === 0);
}
