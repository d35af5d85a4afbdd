// Accelerator: an object-like macro's expansion reused. An object-like macro whose expansion reaches
// only object-like macros expands to the same tokens wherever a token without a hideset invokes it:
// only their site, condition and first token's leading space differ. So the whole expansion (with
// its final hidesets) is made once and stamped for each use, without rescanning the macros on the
// way (the kernel's `inline` is five such macros). Held to the general path by the property test in
// test/cpp/preprocess.test.ts; `shortcuts: false` (or `{ flat: false }`) turns it off.

import type { Loc } from '../core/source.js';
import type { Hideset, Hidesets } from './hideset.js';
import type { MacroDef } from './macro.js';
import { F_BOL, F_SPACE, TK, token, type Token } from './token.js';

/** What a flat expansion reads of the preprocessor. */
export interface MacroTable {
  readonly macros: ReadonlyMap<string, MacroDef>;
  readonly hs: Hidesets;
  /** False when no macro can have t's name. */
  mayBeMacro(t: Token): boolean;
}

/** A flat expansion's token that takes the invoking token's leading space (stamp replaces it). */
const F_LEAD = 8;
/** The longest flat expansion kept. */
const FLAT_MAX = 1024;

export class FlatExpansions {
  private readonly memo = new Map<MacroDef, readonly Token[] | null>();
  /** The macros a memoised expansion expanded: defining or undefining any other name changes none.
   *  (A name that becomes a macro later needs no entry: the tokens pushed are rescanned, as an
   *  expansion's always are, and it expands then.) */
  private readonly deps = new Set<string>();

  constructor(private readonly table: MacroTable) {}

  /** Object-like `m`'s expansion for the use `nameTok` (without a hideset) at `site`, as subst and
   *  rescanning would make it, or null when it is not fixed: a function-like or builtin macro,
   *  `_Pragma` or `##` on the way, or more than FLAT_MAX tokens. */
  expansion(m: MacroDef, nameTok: Token, site: Loc): Token[] | null {
    let flat = this.memo.get(m);
    if (flat === undefined) {
      const out: Token[] = [];
      flat = this.flatten(m, [m.name], F_LEAD, out, 0) ? out : null;
      this.memo.set(m, flat);
    }
    return flat === null ? null : stamp(flat, nameTok, site);
  }

  /** After `name` is defined or undefined. (Only when read: Map.clear makes a new table even when
   *  the map is empty, and #define lines are many.) */
  forget(name: string): void {
    if (!this.deps.has(name)) return;
    this.memo.clear();
    this.deps.clear();
  }

  /** Appends m's expansion to `out` as subst and rescanning would make it with hideset `hs` (m's
   *  name and the macros expanded on the way to it), `lead` for the first token's leading space;
   *  false when the expansion is not fixed. */
  private flatten(m: MacroDef, hs: Hideset, lead: number, out: Token[], depth: number): boolean {
    if (depth > 32 || m.pastes) return false;
    this.deps.add(m.name);
    const { macros, hs: sets } = this.table;
    const body = m.body;
    for (let k = 0; k < body.length; k++) {
      const r = body[k]!;
      let flags = r.flags & ~F_BOL;
      if (k === 0) flags = (flags & ~F_SPACE) | lead;
      if (r.kind === TK.Ident) {
        if (r.text === '_Pragma') return false;
        const n = this.table.mayBeMacro(r) ? macros.get(r.text) : undefined;
        if (n !== undefined && !sets.has(hs, n.name)) {
          if (n.builtin || n.funcLike) return false;
          if (!this.flatten(n, sets.add(hs, n.name), flags & (F_SPACE | F_LEAD), out, depth + 1)) return false;
          continue;
        }
      }
      if (out.length >= FLAT_MAX) return false;
      out.push(token(r.kind, r.text, r.file, r.pos, flags, r.hash, sets.union(r.hideset, hs), undefined, undefined));
    }
    return true;
  }
}

/** A flat expansion's tokens for one use of the macro, as subst stamps them. */
function stamp(flat: readonly Token[], nameTok: Token, site: Loc): Token[] {
  const lead = nameTok.flags & F_SPACE;
  const out: Token[] = new Array(flat.length);
  for (let k = 0; k < flat.length; k++) {
    const r = flat[k]!;
    const flags = r.flags & F_LEAD ? (r.flags & ~F_LEAD) | lead : r.flags;
    // (token(), spelled out: see Lexer.next.)
    out[k] = {
      kind: r.kind,
      text: r.text,
      file: r.file,
      pos: r.pos,
      flags,
      hash: r.hash,
      hideset: r.hideset,
      site,
      cond: nameTok.cond,
    };
  }
  return out;
}
