// Directives: #define and #undef, conditional groups (#if and the rest, with the include-guard
// detection), #error, #line and the null directive. #include is in include.ts, #pragma in
// pragma.ts. Methods of Preprocessor (preprocessor.ts).

import type { Loc } from '../core/source.js';
import { FatalError } from '../core/diag.js';
import { hasAttribute, hasBuiltin } from './features.js';
import { evalIfExpr, IfExprError } from './ifexpr.js';
import type { DefineLine } from './lexer.js';
import { MacroDef, NO_PARAMS, type LazyBody } from './macro.js';
import type { FileFrame, Preprocessor } from './preprocessor.js';
import { F_BOL, F_SPACE, siteLoc, spell, TK, token, type Conditional, type Token } from './token.js';

export class Directives {
  directive(this: Preprocessor, hash: Token): void {
    const f = this.frames[this.frames.length - 1]!;
    if (hash.kind === TK.Define) {
      const line = f.lx?.defineLineOf(hash);
      if (line !== undefined) this.defineLine(line);
      return;
    }
    const nameTok = f.toks[f.i];
    if (!nameTok || nameTok.kind === TK.EOF || nameTok.flags & F_BOL) return; // a null directive
    f.i++;
    const ff = this.curFile();
    const name = nameTok.text;
    const loc: Loc = { file: nameTok.file, pos: nameTok.pos };
    switch (name) {
      case 'define':
        this.define(this.restOfLine(), loc);
        return;
      case 'undef': {
        const toks = this.restOfLine();
        if (toks[0]?.kind === TK.Ident) this.deleteMacro(toks[0].text);
        else this.err('no macro name given in #undef directive', loc);
        return;
      }
      case 'include':
      case 'include_next':
      case 'import':
        this.include(this.restOfLine(), loc, name === 'include_next');
        return;
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const toks = this.restOfLine();
        let v: boolean;
        if (name === 'if') v = this.evalCond(toks, loc);
        else {
          if (toks[0]?.kind !== TK.Ident) {
            this.err(`no macro name given in #${name} directive`, loc);
            v = false;
          } else v = this.macros.has(toks[0].text) === (name === 'ifdef');
        }
        if (ff.ifStack.length >= this.limits.maxIfDepth)
          throw new FatalError('#if nesting too deep', loc, this.currentChain());
        const text =
          name === 'if' ? spell(toks) : name === 'ifdef' ? (toks[0]?.text ?? '') : `!defined(${toks[0]?.text ?? ''})`;
        const parent = this.curCond();
        const cond: Conditional = { text, loc, parent };
        ff.ifStack.push({ cond, taken: v, inElse: false, outerSkip: false });
        if (!v) this.skipGroup();
        return;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef':
      case 'else': {
        const st = ff.ifStack[ff.ifStack.length - 1];
        if (!st) {
          this.err(`#${name} without #if`, loc);
          this.skipLine();
          return;
        }
        if (st.inElse) this.err(`#${name} after #else`, loc);
        // We were in a taken group: everything until #endif is skipped.
        this.restOfLine();
        if (name === 'else') st.inElse = true;
        st.taken = true;
        this.skipGroup();
        return;
      }
      case 'endif':
        if (!ff.ifStack.pop()) this.err('#endif without #if', loc);
        this.restOfLine();
        this.checkGuardEnd(ff);
        return;
      case 'pragma':
        this.pragma(this.restOfLine(), hash);
        return;
      case 'error':
      case 'warning': {
        const toks = this.restOfLine();
        const msg = `#${name} ${spell(toks)}`;
        if (name === 'error') this.err(msg, loc);
        else this.diags.warning(msg, loc, this.currentChain());
        return;
      }
      case 'line':
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        this.restOfLine();
        return;
      default:
        if (nameTok.kind === TK.Number) {
          this.restOfLine(); // # 33 "file" line markers
          return;
        }
        this.err(`invalid preprocessing directive #${name}`, loc);
        this.restOfLine();
    }
  }

  curCond(this: Preprocessor): Conditional | undefined {
    const ff = this.curFile();
    const st = ff.ifStack[ff.ifStack.length - 1];
    return st?.cond;
  }

  checkGuardEnd(this: Preprocessor, ff: FileFrame): void {
    if (!ff.guardCandidate || ff.ifStack.length !== 0) return;
    // Guard holds only when nothing but whitespace/comments follows the closing #endif.
    const f = this.frames[this.frames.length - 1]!;
    if (f.i >= f.toks.length) this.refill(f);
    const t = f.toks[f.i];
    ff.guardClosedAtEnd = t === undefined || t.kind === TK.EOF;
    // The guard must wrap the whole file: the first group that closes at top level decides.
    if (!ff.guardClosedAtEnd) ff.guardCandidate = undefined;
  }

  /** Skips a false group up to the matching #elif/#else/#endif, evaluating #elif as needed. */
  skipGroup(this: Preprocessor): void {
    const f = this.frames[this.frames.length - 1]!;
    const ff = this.curFile();
    let depth = 0;
    for (;;) {
      // The rest of a line is stepped over token by token; then the lexer skips text to the next
      // directive without making tokens.
      if (f.i >= f.toks.length && !this.refill(f, 'skip')) return;
      const toks = f.toks;
      const t = toks[f.i]!;
      if (t.kind === TK.EOF) return;
      if (!(t.flags & F_BOL) || t.text !== '#' || t.kind !== TK.Punct) {
        f.i++;
        continue;
      }
      const d = toks[f.i + 1];
      if (!d || d.flags & F_BOL || d.kind === TK.EOF) {
        f.i++;
        continue;
      }
      const dn = d.text;
      if (dn === 'if' || dn === 'ifdef' || dn === 'ifndef') {
        depth++;
        f.i += 2;
        continue;
      }
      if (dn === 'endif') {
        if (depth === 0) {
          f.i += 2;
          ff.ifStack.pop();
          this.restOfLine();
          this.checkGuardEnd(ff);
          return;
        }
        depth--;
        f.i += 2;
        continue;
      }
      if (depth === 0 && (dn === 'else' || dn === 'elif' || dn === 'elifdef' || dn === 'elifndef')) {
        const st = ff.ifStack[ff.ifStack.length - 1]!;
        const loc = { file: d.file, pos: d.pos };
        f.i += 2;
        const line = this.restOfLine();
        if (st.inElse) this.err(`#${dn} after #else`, loc);
        if (dn === 'else') {
          st.inElse = true;
          st.cond = { text: `!(${st.cond.text})`, loc, parent: st.cond.parent };
          if (!st.taken) {
            st.taken = true;
            return;
          }
          continue;
        }
        if (st.taken) continue;
        let v: boolean;
        if (dn === 'elif') v = this.evalCond(line, loc);
        else v = line[0]?.kind === TK.Ident && this.macros.has(line[0].text) === (dn === 'elifdef');
        st.cond = {
          text:
            dn === 'elif' ? spell(line) : dn === 'elifdef' ? (line[0]?.text ?? '') : `!defined(${line[0]?.text ?? ''})`,
          loc,
          parent: st.cond.parent,
        };
        if (v) {
          st.taken = true;
          return;
        }
        continue;
      }
      f.i += 2;
    }
  }

  // #define
  /** `lazy`: where the body lies when the lexer stepped over it (toks end at NAME or ')'). */
  define(this: Preprocessor, toks: readonly Token[], loc: Loc, lazy?: LazyBody): void {
    const nameTok = toks[0];
    if (!nameTok || nameTok.kind !== TK.Ident) {
      this.err('macro names must be identifiers', nameTok ? { file: nameTok.file, pos: nameTok.pos } : loc);
      return;
    }
    if (nameTok.text === 'defined') {
      this.err('"defined" cannot be used as a macro name', loc);
      return;
    }
    const second = toks[1];
    if (second && second.text === '(' && !(second.flags & F_SPACE)) {
      const params: string[] = [];
      let variadic: string | undefined;
      let i = 2;
      for (;;) {
        const p = toks[i];
        if (!p) {
          this.err("missing ')' in macro parameter list", loc);
          return;
        }
        if (p.text === ')') {
          i++;
          break;
        }
        if (params.length > 0 || variadic) {
          if (p.text !== ',') {
            this.err("expected ',' or ')' in macro parameter list", { file: p.file, pos: p.pos });
            return;
          }
          i++;
        }
        const q = toks[i];
        if (!q) continue;
        if (q.text === '...') {
          variadic = '__VA_ARGS__';
          params.push('__VA_ARGS__');
          i++;
          continue;
        }
        if (q.kind !== TK.Ident) {
          this.err('expected parameter name', { file: q.file, pos: q.pos });
          return;
        }
        params.push(q.text);
        i++;
        if (toks[i]?.text === '...') {
          variadic = q.text;
          i++;
        }
      }
      const name = nameTok.text;
      this.setMacro(name, new MacroDef(name, true, params, variadic, loc, lazy ?? toks.slice(i)), nameTok.hash);
      return;
    }
    const name = nameTok.text;
    this.setMacro(name, new MacroDef(name, false, NO_PARAMS, undefined, loc, lazy ?? toks.slice(1)), nameTok.hash);
  }

  /** A #define line the lexer handed over as one token (defines.ts): the macro define() would
   *  make of its tokens. */
  defineLine(this: Preprocessor, line: DefineLine): void {
    const b = line.body;
    const body: LazyBody = { file: this.sm.get(this.curFile().id), start: b.start, end: b.end, braces: b.braces };
    const loc: Loc = { file: body.file.id, pos: line.pos };
    const pd = line.plain;
    if (pd === undefined) this.define(line.head, loc, body);
    else if (pd.params)
      this.setMacro(pd.name, new MacroDef(pd.name, true, pd.params, pd.variadic, loc, body), pd.nameHash);
    else this.setMacro(pd.name, new MacroDef(pd.name, false, NO_PARAMS, undefined, loc, body), pd.nameHash);
  }

  // #if evaluation: defined / __has_* first, then macro-expand, then evaluate.
  evalCond(this: Preprocessor, toks: Token[], loc: Loc): boolean {
    const pre: Token[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.kind === TK.Ident) {
        if (t.text === 'defined') {
          let name: Token | undefined;
          if (toks[i + 1]?.text === '(') {
            name = toks[i + 2];
            if (toks[i + 3]?.text !== ')') this.err('missing \')\' after "defined"', loc);
            i += 3;
          } else {
            name = toks[i + 1];
            i += 1;
          }
          pre.push(num(name && this.macros.has(name.text) ? '1' : '0', t));
          continue;
        }
        const feat = this.featureTest(toks, i, loc);
        if (feat) {
          pre.push(num(feat.value ? String(feat.value) : '0', t));
          i = feat.end;
          continue;
        }
      }
      pre.push(t);
    }
    const expanded = this.expandLine(pre, loc);
    // Feature tests that came out of macros (glibc's __glibc_has_attribute(x) → __has_attribute (x)).
    for (let i = 0; i < expanded.length; i++) {
      const t = expanded[i]!;
      if (t.kind !== TK.Ident || !t.text.startsWith('__has_')) continue;
      const feat = this.featureTest(expanded, i, loc);
      if (feat) {
        expanded.splice(i, feat.end - i + 1, num(feat.value ? String(feat.value) : '0', t));
      }
    }
    try {
      return evalIfExpr(expanded).v !== 0n;
    } catch (e) {
      if (e instanceof IfExprError) {
        this.err(e.message, e.tok ? siteLoc(e.tok) : loc);
        return false;
      }
      throw e;
    }
  }

  /** __has_include(...), __has_attribute(x), ... at toks[i]; returns the value and the index of ')'. */
  featureTest(this: Preprocessor, toks: Token[], i: number, loc: Loc): { value: number; end: number } | undefined {
    const t = toks[i]!;
    const n = t.text;
    if (
      n !== '__has_include' &&
      n !== '__has_include_next' &&
      n !== '__has_attribute' &&
      n !== '__has_builtin' &&
      n !== '__has_c_attribute' &&
      n !== '__has_cpp_attribute' &&
      n !== '__has_feature' &&
      n !== '__has_extension'
    )
      return undefined;
    if (toks[i + 1]?.text !== '(') {
      this.err(`missing '(' after "${n}"`, loc);
      return { value: 0, end: i };
    }
    let j = i + 2;
    let depth = 1;
    const inner: Token[] = [];
    for (; j < toks.length; j++) {
      const x = toks[j]!;
      if (x.text === '(') depth++;
      else if (x.text === ')' && --depth === 0) break;
      inner.push(x);
    }
    if (n === '__has_include' || n === '__has_include_next') {
      const spec = this.headerName(inner, loc);
      if (!spec) return { value: 0, end: j };
      const found = this.findInclude(spec.name, spec.quoted, n === '__has_include_next');
      return { value: found ? 1 : 0, end: j };
    }
    const name = inner.map((x) => x.text).join('');
    if (n === '__has_attribute') return { value: hasAttribute(name), end: j };
    if (n === '__has_c_attribute') {
      const std = ['deprecated', 'fallthrough', 'maybe_unused', 'nodiscard', 'noreturn', '_Noreturn'];
      const bare = name.replace(/^gnu::/, '');
      return { value: std.includes(name) ? 201904 : name.startsWith('gnu::') && hasAttribute(bare) ? 1 : 0, end: j };
    }
    if (n === '__has_builtin') return { value: hasBuiltin(name) ? 1 : 0, end: j };
    return { value: 0, end: j };
  }

  /** Macro-expands a directive line in isolation. */
  expandLine(this: Preprocessor, toks: Token[], loc: Loc): Token[] {
    if (toks.length === 0) return toks;
    void loc;
    return this.expandArg(toks);
  }
}

function num(text: string, at: Token): Token {
  return token(TK.Number, text, at.file, at.pos, at.flags);
}
