// #pragma and _Pragma (kept in the token stream for the parser, but once, push_macro and
// pop_macro), and the builtin macros (__FILE__, __LINE__, __COUNTER__, ...). Methods of
// Preprocessor (preprocessor.ts).

import type { Loc } from '../core/source.js';
import { lineColOf } from '../core/source.js';
import { pragmaBuiltinTypes } from '../target/predefined.js';
import { lex } from './lexer.js';
import { MacroDef, NO_PARAMS } from './macro.js';
import type { Preprocessor } from './preprocessor.js';
import { F_NOEXPAND, F_SPACE, TK, token, type Conditional, type Token } from './token.js';

export class Pragmas {
  // #pragma and _Pragma
  pragma(this: Preprocessor, toks: Token[], at: Token): void {
    if (toks[0]?.text === 'once') {
      this.pragmaOnce.add(this.curFile().id);
      return;
    }
    if (
      toks[0]?.text === 'GCC' &&
      (toks[1]?.text === 'system_header' || toks[1]?.text === 'poison' || toks[1]?.text === 'dependency')
    )
      return;
    if (toks[0]?.text === 'push_macro' || toks[0]?.text === 'pop_macro') {
      this.pushPopMacro(toks);
      return;
    }
    // gcc 12's <arm_neon.h> has the compiler declare its tuple types (predefined.ts).
    const declared =
      toks[0]?.text === 'GCC' && toks[1]?.text === 'aarch64'
        ? pragmaBuiltinTypes(this.opts.target, toks[2]?.text ?? '')
        : '';
    if (declared) {
      this.pushFile(this.sm.add('<built-in>', declared).id, '<built-in>', -1, undefined);
      return;
    }
    let body = '';
    toks.forEach((t, k) => (body += (k > 0 && t.flags & F_SPACE ? ' ' : '') + t.text));
    this.emit(token(TK.Pragma, body, at.file, at.pos, at.flags, undefined, undefined, at.site, this.curCondSafe()));
  }

  pushPopMacro(this: Preprocessor, toks: Token[]): void {
    const s = toks.find((t) => t.kind === TK.String);
    if (!s) return;
    const name = s.text.slice(1, -1);
    const stack = this.pushedMacros.get(name) ?? [];
    if (toks[0]!.text === 'push_macro') stack.push(this.macros.get(name));
    else if (stack.length) {
      const m = stack.pop();
      if (m) this.setMacro(name, m);
      else this.deleteMacro(name);
    }
    this.pushedMacros.set(name, stack);
  }

  curCondSafe(this: Preprocessor): Conditional | undefined {
    return this.fileStack.length ? this.curCond() : undefined;
  }

  pragmaOperator(this: Preprocessor, t: Token): boolean {
    const a = this.peekTok();
    if (a.text !== '(') return false;
    this.next();
    const s = this.next();
    const r = this.next();
    if (s.kind !== TK.String || r.text !== ')') {
      this.diags.error(
        '_Pragma takes a parenthesized string literal',
        t.site ?? { file: t.file, pos: t.pos },
        this.currentChain(),
      );
      return true;
    }
    const body = s.text
      .replace(/^[LuU8]*"/, '')
      .slice(0, -1)
      .replace(/\\(["\\])/g, '$1');
    const f = this.sm.add('<_Pragma>', body);
    const toks = lex(f).tokens.slice(0, -1);
    toks.forEach((x, k) => (toks[k] = { ...x, flags: k === 0 ? 0 : x.flags & F_SPACE }));
    if (toks[0]?.text === 'once') return true;
    let text = '';
    toks.forEach((x, k) => (text += (k > 0 && x.flags & F_SPACE ? ' ' : '') + x.text));
    // Macro-expanded pragma bodies (kernel's __diag) are rare in layouts; keep the raw text.
    this.emit(
      token(TK.Pragma, text, t.file, t.pos, t.flags, undefined, undefined, t.site ?? { file: t.file, pos: t.pos }),
    );
    return true;
  }

  defineBuiltins(this: Preprocessor): void {
    const mk = (name: string, fn: (tok: Token) => Token): void => {
      this.setMacro(name, new MacroDef(name, false, NO_PARAMS, undefined, undefined, [], fn));
    };
    const site = (t: Token): Loc => t.site ?? { file: t.file, pos: t.pos };
    mk('__FILE__', (t) =>
      token(TK.String, JSON.stringify(this.sm.get(site(t).file).path), t.file, t.pos, t.flags, undefined, ['__FILE__']),
    );
    mk('__BASE_FILE__', (t) =>
      token(TK.String, JSON.stringify(this.mainPath), t.file, t.pos, t.flags, undefined, ['__BASE_FILE__']),
    );
    mk('__FILE_NAME__', (t) => {
      const p = this.sm.get(site(t).file).path;
      return token(TK.String, JSON.stringify(p.slice(p.lastIndexOf('/') + 1)), t.file, t.pos, t.flags, undefined, [
        '__FILE_NAME__',
      ]);
    });
    mk('__LINE__', (t) => {
      const l = site(t);
      return token(TK.Number, String(lineColOf(this.sm.get(l.file), l.pos).line), t.file, t.pos, t.flags, undefined, [
        '__LINE__',
      ]);
    });
    mk('__COUNTER__', (t) =>
      token(TK.Number, String(this.counter++), t.file, t.pos, t.flags, undefined, ['__COUNTER__']),
    );
    mk('__INCLUDE_LEVEL__', (t) =>
      token(TK.Number, String(Math.max(0, this.fileStack.length - 1)), t.file, t.pos, t.flags, undefined, [
        '__INCLUDE_LEVEL__',
      ]),
    );
    // Feature-test operators count as defined macros (#ifdef __has_include) and stay as they are.
    for (const n of [
      '__has_include',
      '__has_include_next',
      '__has_attribute',
      '__has_cpp_attribute',
      '__has_c_attribute',
      '__has_builtin',
    ])
      mk(n, (t) => ({ ...t, flags: t.flags | F_NOEXPAND }));
    mk('__DATE__', (t) => token(TK.String, '"Jan  1 1970"', t.file, t.pos, t.flags, undefined, ['__DATE__']));
    mk('__TIME__', (t) => token(TK.String, '"00:00:00"', t.file, t.pos, t.flags, undefined, ['__TIME__']));
    mk('__TIMESTAMP__', (t) =>
      token(TK.String, '"Thu Jan  1 00:00:00 1970"', t.file, t.pos, t.flags, undefined, ['__TIMESTAMP__']),
    );
  }
}
