// A translation unit's records in the model, lowered on demand: a query for one record of a kernel
// unit lays out only that record and what it contains, not the unit's 1,500 others. The whole list
// (and the typedef table) is lowered the first time it is read, in definition order.

import type { CType } from '../cparse/ctype.js';
import type { ParseResult } from '../cparse/parser.js';
import type { RecordDecl } from '../cparse/ctype.js';
import type { Lowerer } from './lower.js';
import type { RecordType, TypeRef } from './model.js';

export interface UnitRecords {
  /** Every struct/union defined in the translation unit, in definition order. */
  readonly records: readonly RecordType[];
  /** The subset defined in the main file itself. */
  readonly mainRecords: readonly RecordType[];
  /** Typedef names that name records (for NAME lookup): typedef name -> record. */
  readonly typedefs: ReadonlyMap<string, RecordType>;
  /** The struct/union tag or record typedef `name` (lays out only what it needs). */
  find(name: string): RecordType | undefined;
  /** The type a file-scope typedef `name` stands for, whatever it is (a pointer, an int): for saying
   *  why a typedef that names no record is not one. */
  typedefOf(name: string): TypeRef | undefined;
  /** The records whose declaration `want` accepts, in definition order, as `records` lists them; only
   *  those (and what they contain) are laid out (--every-header skips the sites it has answered). */
  recordsWhere(want: (decl: RecordDecl) => boolean): RecordType[];
}

export function lazyUnit(
  parsed: Pick<ParseResult, 'records' | 'typedefs'>,
  lower: Lowerer,
  mainFileId: number,
): UnitRecords {
  let all: { records: RecordType[]; mainRecords: RecordType[] } | undefined;
  const lowerSome = (want?: (decl: RecordDecl) => boolean): { records: RecordType[]; mainRecords: RecordType[] } => {
    const records: RecordType[] = [];
    const mainRecords: RecordType[] = [];
    const seen = new Set<RecordType>();
    for (const d of parsed.records) {
      if (want && !want(d)) continue;
      let r = lower.record(d);
      if (!r || seen.has(r)) continue;
      seen.add(r);
      // A record known only by its typedef is listed as that typedef, with the typedef's alignment
      // (typedef struct {...} T __attribute__((aligned(64))), glibc's __pthread_unwind_buf_t).
      // (A record in a function body has its typedef there, not in the file-scope table.)
      if (r.name === null && d.typedefName !== undefined && d.scope === undefined) {
        const t = parsed.typedefs.get(d.typedefName);
        r = (t && typedefRecord(d.typedefName, t)) || r;
      }
      records.push(r);
      if (d.loc.file === mainFileId) mainRecords.push(r);
    }
    return { records, mainRecords };
  };
  const lowerAll = (): { records: RecordType[]; mainRecords: RecordType[] } => (all ??= lowerSome());
  const typedefRecord = (name: string, t: CType): RecordType | undefined => {
    let s = t;
    let aligned: number | undefined;
    while (s.kind === 'typedef') {
      aligned ??= s.attrs.aligned;
      s = s.to;
    }
    if (s.kind !== 'record' || !s.decl.fields) return undefined;
    const r = lower.record(s.decl);
    // typedef struct {...} T __attribute__((aligned(N))): T has its own alignment, same size.
    return r && aligned !== undefined && aligned !== r.align ? { ...r, align: aligned, typedef: name } : r;
  };
  let typedefs: Map<string, RecordType> | undefined;
  const allTypedefs = (): Map<string, RecordType> => {
    if (typedefs) return typedefs;
    lowerAll(); // records first, in definition order, as a full run always did
    typedefs = new Map();
    for (const [name, t] of parsed.typedefs) {
      const r = typedefRecord(name, t);
      if (r) typedefs.set(name, r);
    }
    return typedefs;
  };
  return {
    get records() {
      return lowerAll().records;
    },
    get mainRecords() {
      return lowerAll().mainRecords;
    },
    get typedefs() {
      return allTypedefs();
    },
    recordsWhere: (want) => lowerSome(want).records,
    typedefOf(name: string): TypeRef | undefined {
      const t = parsed.typedefs.get(name);
      const r = t && lower.typeRef(t);
      // (The typedef itself lowers to its own name: what it names is one step in.)
      return r?.kind === 'typedef' && r.name === name ? r.to : r;
    },
    find(name: string): RecordType | undefined {
      // (lower.record caches: a record already laid out is not laid out again.)
      const colons = name.lastIndexOf('::');
      if (colons < 0)
        for (const d of parsed.records) {
          if (d.name !== name || d.scope !== undefined) continue;
          const r = lower.record(d);
          if (r && r.name !== null) return r;
        }
      const t = colons < 0 ? parsed.typedefs.get(name) : undefined;
      const r = t && typedefRecord(name, t);
      if (r) return r;
      // A record defined in a function body, by its tag or typedef: `f::name`, or `name` alone.
      const scope = colons < 0 ? undefined : name.slice(0, colons);
      const bare = colons < 0 ? name : name.slice(colons + 2);
      for (const d of parsed.records)
        if (d.scope !== undefined && (scope === undefined || d.scope === scope) && d.fields)
          if (d.name === bare || (d.name === null && (d.typedefName ?? (scope && d.variable)) === bare))
            return lower.record(d);
      return undefined;
    },
  };
}
