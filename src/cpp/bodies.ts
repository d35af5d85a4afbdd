// Accelerator: function bodies stepped over. A function body at file scope cannot change a layout,
// so inside one the lexer makes tokens only for brackets, directives and names that may be macros
// (Lexer.bodyToken), and a macro is expanded only when its expansion could open or close a brace.
// This module follows the output's brackets to know when a body starts and ends, and memoises which
// macros expand to balanced braces. `functionBodies: 'keep'` turns body skipping off; `shortcuts:
// false` (or `{ balances: false }`) keeps it but recomputes the balance each time.

import type { MacroDef } from './macro.js';
import { TK, type Token } from './token.js';

/** What the body tracker reads of the preprocessor. */
export interface BodyMacroTable {
  readonly macros: ReadonlyMap<string, MacroDef>;
  /** The defined macros whose own bodies' braces do not balance (usually none). */
  readonly unbalanced: ReadonlySet<string>;
  mayBeMacro(t: Token): boolean;
}

/** Identifiers whose parenthesised group before '{' is not a function's parameter list. */
const NOT_FUNCTION_OWNERS = new Set([
  '__attribute__',
  '__attribute',
  '__declspec',
  '_Alignas',
  'alignas',
  '__typeof__',
  '__typeof',
  'typeof',
  'sizeof',
  '_Atomic',
  '__asm__',
  'asm',
  '__asm',
]);

export class FunctionBodies {
  /** Brace depth inside a function body at file scope (0 outside). */
  depth = 0;
  /** For each open '(' at depth 0: the token before it. */
  private readonly parenOwners: Token[] = [];
  /** The token before the '(' of the group that the last ')' closed, if ')' was the last token. */
  private lastCloseOwner: Token | undefined;
  private readonly memo = new Map<MacroDef, boolean>();
  /** Every name a memoised balance read: its macros and their bodies' identifiers, macros or not
   *  yet. Defining or undefining any other name changes no entry. */
  private readonly deps = new Set<string>();
  /** The macros whose balance is being found (see balanced). */
  private readonly active = new Set<MacroDef>();
  /** How many times a balance was assumed (a cycle, or too deep). */
  private assumed = 0;

  constructor(
    private readonly table: BodyMacroTable,
    private readonly memoise: boolean,
  ) {}

  /** Follows '(' ')' '{' '}' of the output (`t`, after `prev`): a body starts at a '{' right after
   *  a parenthesised group owned by an identifier or ')' — `f(void) {` — that is not an attribute,
   *  alignment or typeof group. */
  track(t: Token, prev: Token | undefined): void {
    const c = t.text;
    if (this.depth > 0) {
      if (c === '{') this.depth++;
      else if (c === '}') this.depth--;
      return;
    }
    const closeOwner = this.lastCloseOwner;
    this.lastCloseOwner = undefined;
    if (c === '(') this.parenOwners.push(prev ?? t);
    else if (c === ')') this.lastCloseOwner = this.parenOwners.pop();
    else if (c === '{' && closeOwner && this.parenOwners.length === 0) {
      const o = closeOwner;
      if ((o.kind === TK.Ident && !NOT_FUNCTION_OWNERS.has(o.text)) || o.text === ')') this.depth = 1;
    } else if (c === ';' || c === '}') this.parenOwners.length = 0;
  }

  /** Inside a body, a macro must still be expanded when its expansion could have unbalanced braces. */
  expandable(t: Token): boolean {
    // Only a macro that reaches one whose own braces do not balance can be unbalanced.
    if (this.table.unbalanced.size === 0) return false;
    const m = this.table.macros.get(t.text);
    if (!m) return false;
    const r = !this.balanced(m, 0);
    if (!this.memoise) this.forgetAll();
    return r;
  }

  /** After `name` is defined or undefined. */
  forget(name: string): void {
    if (this.deps.has(name)) this.forgetAll();
  }

  private forgetAll(): void {
    this.memo.clear();
    this.deps.clear();
  }

  /** Whether m's expansion has balanced braces, as far as its macros go. A macro met again on the
   *  way (a cycle) or past depth 32 counts as balanced; a result that assumed so depends on where
   *  the query started, so it is not memoised (the memo must give what a fresh query gives). */
  private balanced(m: MacroDef, depth: number): boolean {
    const hit = this.memo.get(m);
    if (hit !== undefined) return hit;
    if (m.builtin) return true;
    if (depth > 32 || this.active.has(m)) {
      this.assumed++;
      return true;
    }
    this.active.add(m);
    const assumed = this.assumed;
    this.deps.add(m.name);
    let d = 0;
    let ok = true;
    for (const b of m.body) {
      if (b.kind === TK.Punct) {
        if (b.text === '{') d++;
        else if (b.text === '}') d--;
      } else if (b.kind === TK.Ident) {
        this.deps.add(b.text);
        if (!this.table.mayBeMacro(b)) continue;
        const inner = this.table.macros.get(b.text);
        if (inner && inner !== m && !this.balanced(inner, depth + 1)) ok = false;
      }
    }
    this.active.delete(m);
    const r = ok && d === 0;
    if (this.assumed === assumed) this.memo.set(m, r);
    return r;
  }
}
