// A fast text scan of a header for the records it defines — `struct NAME {`, `union NAME {` and the
// typedef names given to a struct or union — each with the `#if` conditions around it. No
// preprocessing and no parse: it finds where to look (by-name lookup), the compiler then decides. A
// definition written by a macro is not seen; one under `#if 0` is dropped.

export interface Definition {
  readonly name: string;
  readonly kind: 'struct' | 'union' | 'typedef';
  /** 1-based. */
  readonly line: number;
  /** The enclosing conditions, outermost first, as written (`defined(X)`, `!(A)`); include guards left out. */
  readonly conditions: readonly string[];
}

/** Comments and string/char literals become spaces (newlines kept, so offsets and lines still agree). */
function blankComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (m) =>
    m[0] === '"' || m[0] === "'" ? '""' + ' '.repeat(Math.max(0, m.length - 2)) : m.replace(/[^\n]/g, ' '),
  );
}

interface Frame {
  /** The condition in force in this branch; undefined for an include guard. */
  cond?: string;
  /** Conditions of the branches before, for #elif and #else. */
  before: string[];
  dead: boolean;
}

export function scanDefinitions(source: string): Definition[] {
  const text = blankComments(source);
  const lines = text.split('\n');
  // Directive lines (with their continuations) are blanked out of `code`; each line's conditions kept.
  const condsAt: (readonly string[])[] = new Array(lines.length);
  const deadAt: boolean[] = new Array(lines.length).fill(false);
  const stack: Frame[] = [];
  let current: readonly string[] = [];
  let dead = false;
  let seenDirective = false;
  const refresh = (): void => {
    current = stack.flatMap((f) => (f.cond === undefined ? [] : [f.cond]));
    dead = stack.some((f) => f.dead);
  };
  for (let i = 0; i < lines.length; i++) {
    condsAt[i] = current;
    deadAt[i] = dead;
    const m = /^\s*#\s*(\w+)\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    let body = m[2]!;
    let j = i;
    lines[i] = '';
    while (lines[j] !== undefined && /\\\s*$/.test(j === i ? m[0] : lines[j]!) && j + 1 < lines.length) {
      j++;
      body = body.replace(/\\\s*$/, ' ') + lines[j]!;
      lines[j] = '';
      condsAt[j] = current;
      deadAt[j] = dead;
    }
    i = j;
    body = body.replace(/\s+/g, ' ').trim();
    const kw = m[1]!;
    const first = !seenDirective;
    seenDirective = true;
    if (kw === 'if' || kw === 'ifdef' || kw === 'ifndef') {
      const cond = kw === 'if' ? body : kw === 'ifdef' ? `defined(${body})` : `!defined(${body})`;
      // An include guard: the file's first directive, #ifndef X, then #define X.
      const next = kw === 'ifndef' && first ? nextDirective(lines, i + 1) : undefined;
      const guard = next !== undefined && next === `define ${body}`;
      stack.push({ cond: guard ? undefined : cond, before: [cond], dead: /^0\b/.test(body) });
    } else if (kw === 'elif' || kw === 'else') {
      const f = stack[stack.length - 1];
      if (!f) continue;
      const not = f.before.map((c) => `!(${c})`).join(' && ');
      f.cond = kw === 'else' ? not : `${not} && (${body})`;
      if (kw === 'elif') f.before.push(body);
      f.dead = kw === 'elif' && /^0\b/.test(body);
    } else if (kw === 'endif') {
      stack.pop();
    } else continue;
    refresh();
  }
  const code = lines.join('\n');
  const starts = [0];
  for (let k = 0; k < code.length; k++) if (code.charCodeAt(k) === 10) starts.push(k + 1);
  const lineOf = (off: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const out: Definition[] = [];
  const add = (name: string, kind: Definition['kind'], off: number): void => {
    const l = lineOf(off);
    if (!deadAt[l]) out.push({ name, kind, line: l + 1, conditions: condsAt[l]! });
  };
  // struct|union, attributes (__attribute__((...)), __packed, __aligned(n), __randomize_layout), the
  // tag, maybe attributes, then '{'.
  const attribute = String.raw`__attribute__\s*\(\([^;{]*?\)\)\s*`;
  const attributes = String.raw`(?:${attribute}|__(?:packed|aligned\([^)]*\)|randomize_layout)\s+)*`;
  const tag = new RegExp(String.raw`\b(struct|union)\s+(${attributes})([A-Za-z_]\w*)\s*(?:${attribute})?\{`, 'g');
  for (let m; (m = tag.exec(code));)
    add(m[3]!, m[1] as 'struct' | 'union', m.index + m[0].indexOf(m[3]!, m[1]!.length + 1 + m[2]!.length));
  const td = /\btypedef\s+(?:(?:const|volatile)\s+)*(struct|union)\b/g;
  for (let m; (m = td.exec(code));) {
    const end = declarationEnd(code, m.index);
    if (end < 0) continue;
    const decl = code.slice(m.index, end);
    // Declarators come after the body (or, without one, after the tag).
    const close = decl.lastIndexOf('}');
    const after = close >= 0 ? decl.slice(close + 1) : decl.slice(m[0].length).replace(/^\s*[A-Za-z_]\w*/, '');
    const base = m.index + (close >= 0 ? close + 1 : decl.length - after.length);
    for (const part of after.replace(/__attribute__\s*\(\([^;]*?\)\)/g, (x) => ' '.repeat(x.length)).split(',')) {
      if (/[*(]/.test(part)) continue;
      const id = /([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*$/.exec(part.trim());
      if (id) add(id[1]!, 'typedef', base + after.indexOf(id[1]!));
    }
  }
  out.sort((a, b) => a.line - b.line || a.name.localeCompare(b.name));
  return out;
}

/** The directive that comes next after line `from` ("define X"), if the lines between hold only blanks. */
function nextDirective(lines: readonly string[], from: number): string | undefined {
  // (The directive lines are blanked as they are read: peek at the original text of the next one.)
  for (let i = from; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*$/.test(l)) continue;
    const m = /^\s*#\s*(\w+)\s+(\w+)/.exec(l);
    return m ? `${m[1]} ${m[2]}` : undefined;
  }
  return undefined;
}

/** The offset of the `;` ending the declaration that starts at `from` (braces and parentheses
 *  balanced), or -1. */
function declarationEnd(code: string, from: number): number {
  let depth = 0;
  for (let k = from; k < code.length; k++) {
    const c = code[k];
    if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ';' && depth === 0) return k;
  }
  return -1;
}
