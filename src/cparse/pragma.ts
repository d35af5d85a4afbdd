// #pragma pack, as gcc reads it (c-pragma.cc's handle_pragma_pack): the value in effect is stored on
// every record defined under it.

import type { Loc } from '../core/source.js';
import { siteLoc, type Token } from '../cpp/token.js';
import { Parser } from './core.js';

declare module './core.js' {
  interface Parser {
    pragma: typeof pragma;
    pragmaLoc: typeof pragmaLoc;
    popPack: typeof popPack;
  }
}

/** #pragma pack as gcc reads it (c-pragma.cc): `pack(n)`, `pack()`, `pack(push[, id][, n])`,
 *  `pack(pop[, id])`; n must be 0, 1, 2, 4, 8 or 16. A pragma gcc calls malformed, or whose n is
 *  not one of those, is ignored whole with gcc's warning (nothing pushed, nothing changed). */
function pragma(this: Parser, t: Token): void {
  const m = /^pack\b\s*(.*)$/.exec(t.text);
  if (!m) return;
  const at = this.pragmaLoc(t);
  const warn = (msg: string): void => this.diags.warning(msg, at, this.opts.includeChainOf?.(at.file));
  // The pragma's words: identifiers, numbers and punctuators (its text was spelled by the lexer).
  const words = m[1]!.match(/[A-Za-z_]\w*|\d\w*|\S/g) ?? [];
  if (words[0] !== '(') return warn("missing '(' after '#pragma pack' - ignored");
  let k = 1;
  let action: 'set' | 'push' | 'pop' = 'set';
  let id: string | undefined;
  let align: bigint | undefined;
  const num = (w: string | undefined): bigint | undefined =>
    w !== undefined && /^\d/.test(w) ? parsePragmaNumber(w) : undefined;
  if (words[k] === ')') k++;
  else if (num(words[k]) !== undefined) {
    align = num(words[k++]);
    if (words[k++] !== ')') return warn("malformed '#pragma pack' - ignored");
  } else if (words[k] === 'push' || words[k] === 'pop') {
    action = words[k++] as 'push' | 'pop';
    let bad = false;
    while (words[k] === ',') {
      const w = words[++k];
      k++;
      if (w !== undefined && /^[A-Za-z_]/.test(w) && id === undefined) id = w;
      // (clang for MSVC also takes `pop, n`: pop, then set n.)
      else if ((action === 'push' || this.target.os === 'windows') && align === undefined && num(w) !== undefined)
        align = num(w);
      else bad = true;
    }
    if (words[k++] !== ')' || bad)
      return warn(`malformed '#pragma pack(${action === 'push' ? 'push[, id][, <n>]' : 'pop[, id]'})' - ignored`);
  } else if (words[k] !== undefined && /^[A-Za-z_]/.test(words[k]!)) {
    return warn(`unknown action '${words[k]}' for '#pragma pack' - ignored`);
  } else return warn("malformed '#pragma pack' - ignored");
  if (k < words.length) warn("junk at end of '#pragma pack'");
  let value: number;
  if (align === undefined) value = action === 'set' ? 0 : this.pack;
  else if (align === 0n || align === 1n || align === 2n || align === 4n || align === 8n || align === 16n)
    value = Number(align);
  else return warn(`alignment must be a small power of two, not ${align}`);
  if (action === 'set') this.pack = value;
  else if (action === 'push') {
    this.packStack.push({ name: id, value: this.pack });
    this.pack = value;
  } else {
    this.popPack(id, at);
    if (align !== undefined) this.pack = value;
  }
}

/** Where gcc reports a #pragma's problems: at its name (`pack`), when it is on the directive's line. */
function pragmaLoc(this: Parser, t: Token): Loc {
  const loc = siteLoc(t);
  const text = this.opts.sourceText?.(loc.file);
  const m = text === undefined ? null : /^#?\s*pragma\s+/.exec(text.slice(loc.pos, loc.pos + 80));
  return m ? { file: loc.file, pos: loc.pos + m[0].length } : loc;
}

/** pack(pop[, id]): back to the value before the last push (of `id`, when named). */
function popPack(this: Parser, id: string | undefined, at: Loc): void {
  const i = id === undefined ? this.packStack.length - 1 : this.packStack.map((e) => e.name).lastIndexOf(id);
  if (i < 0) {
    const msg =
      id === undefined
        ? "'#pragma pack (pop)' encountered without matching '#pragma pack (push)'"
        : `'#pragma pack(pop, ${id})' encountered without matching '#pragma pack(push, ${id})'`;
    this.diags.warning(msg, at, this.opts.includeChainOf?.(at.file));
    return;
  }
  this.pack = this.packStack[i]!.value;
  this.packStack.length = i;
}

/** A number in a #pragma pack (decimal, octal or hex, as gcc's lexer reads it); undefined if malformed. */
function parsePragmaNumber(w: string): bigint | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)[uUlL]*$/.exec(w);
  if (!m) return undefined;
  const d = m[1]!;
  return d.length > 1 && d[0] === '0' && d[1] !== 'x' && d[1] !== 'X' ? BigInt('0o' + d.slice(1)) : BigInt(d);
}

Object.assign(Parser.prototype, { pragma, pragmaLoc, popPack });
