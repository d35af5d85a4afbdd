// An enumeration's DW_TAG_enumerator children, read from .debug_info where they sit: the scan
// (dwarf.ts) does not keep enumerator DIEs, of which a kernel's units repeat thousands, so only the
// enumerations a record reaches pay for reading theirs.

import { DW_AT, DW_TAG } from './dwarf-const.js';
import type { AttrValue, Unit } from './dwarf-forms.js';
import { Leb } from './dwarf-sections.js';

/** The enumerators of the DIE whose children start at `q` in unit `u` (undefined when their names
 *  are in a dwz file). `size` is the enumeration's bytes and `signed` whether its DW_AT_type is: gcc
 *  writes a negative value as sdata and any other in the fewest data<n> bytes (200 in a 4-byte enum
 *  of int as data1 0xc8), so a data<n> is sign-extended only when as wide as the enumeration of a
 *  signed type. */
export function enumeratorsAt(
  u: Unit,
  q: number,
  size: number,
  signed: boolean,
): { name: string; value: bigint }[] | undefined {
  const info = u.info;
  const out: { name: string; value: bigint }[] = [];
  // To the null entry that ends the children (a child's own children stepped over).
  for (let depth = 0; ;) {
    const at = q;
    const c = new Leb(info, q);
    const code = c.u();
    q = c.pos;
    if (code === 0) {
      // (A name in a dwz file reads ''; without the names the values are better not shown.)
      if (depth-- === 0) return out.some((e) => e.name === '') ? undefined : out;
      continue;
    }
    const ab = u.abbrevs.get(code);
    if (!ab) throw info.fail(`unknown abbreviation code ${code}`, at);
    const mine = depth === 0 && ab.tag === DW_TAG.enumerator;
    let name: AttrValue | undefined;
    let value: { value: bigint; bytes: number } | undefined;
    for (const a of ab.attrs) {
      if (mine && a.name === DW_AT.name) name = u.readForm(a.form, q, a.implicit);
      else if (mine && a.name === DW_AT.const_value) value = u.readConst(a.form, q, a.implicit);
      q = u.skipForm(a.form, q);
    }
    if (ab.children) depth++;
    if (!mine) continue;
    if (typeof name !== 'string' || !value)
      throw info.fail(`DWARF enumerator at 0x${at.toString(16)} without a name and a constant value`, at);
    const extend = signed && value.bytes > 0 && value.bytes >= size;
    out.push({ name, value: extend ? BigInt.asIntN(value.bytes * 8, value.value) : value.value });
  }
}
