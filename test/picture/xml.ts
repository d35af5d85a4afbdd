// A small strict XML reader for the picture tests: it throws on anything not well-formed (unclosed or
// crossed tags, unquoted or repeated attributes, a bare '&' or '<', unknown entities, text outside
// the root) and gives the element tree. Enough for what the renderers write; no DTDs.

export interface XmlElement {
  readonly name: string;
  readonly attrs: Map<string, string>;
  readonly children: XmlElement[];
  text: string;
  readonly parent?: XmlElement;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITIES: { [k: string]: string } = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  if (s.includes('<')) throw new Error(`'<' in text or attribute at ${where}`);
  return s.replace(/&([^;]*);?/g, (all, name: string) => {
    if (!all.endsWith(';')) throw new Error(`bare '&' at ${where}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const e = ENTITIES[name];
    if (e === undefined) throw new Error(`unknown entity &${name}; at ${where}`);
    return e;
  });
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  if (src.startsWith('<?xml')) i = src.indexOf('?>') + 2;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const text = src.slice(i, lt < 0 ? src.length : lt);
    if (text.length) {
      if (stack.length === 0) {
        if (text.trim()) throw new Error(`text outside the root element at ${i}`);
      } else stack[stack.length - 1]!.text += decode(text, i);
    }
    if (lt < 0) break;
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) throw new Error('unclosed comment');
      i = end + 3;
      continue;
    }
    if (src.startsWith('</', i)) {
      const m = NAME.exec(src.slice(i + 2));
      const top = stack.pop();
      if (!m || !top || top.name !== m[0])
        throw new Error(`closing </${m?.[0]}> does not match <${top?.name}> at ${i}`);
      const gt = src.indexOf('>', i);
      if (src.slice(i + 2 + m[0].length, gt).trim()) throw new Error(`junk in closing tag at ${i}`);
      i = gt + 1;
      continue;
    }
    const m = NAME.exec(src.slice(i + 1));
    if (!m) throw new Error(`bad tag at ${i}`);
    if (stack.length === 0 && root) throw new Error(`a second root element at ${i}`);
    const el: XmlElement = { name: m[0], attrs: new Map(), children: [], text: '', parent: stack[stack.length - 1] };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(src.slice(i))![0].length;
      i += ws;
      if (src.startsWith('/>', i)) {
        i += 2;
        break;
      }
      if (src[i] === '>') {
        i++;
        stack.push(el);
        break;
      }
      if (!ws) throw new Error(`attributes must be separated by space at ${i}`);
      const a = NAME.exec(src.slice(i));
      if (!a) throw new Error(`bad attribute at ${i}`);
      i += a[0].length;
      const q = /^\s*=\s*(["'])/.exec(src.slice(i));
      if (!q) throw new Error(`attribute ${a[0]} without a quoted value at ${i}`);
      i += q[0].length;
      const end = src.indexOf(q[1]!, i);
      if (end < 0) throw new Error('unclosed attribute value');
      if (el.attrs.has(a[0])) throw new Error(`attribute ${a[0]} repeated at ${i}`);
      el.attrs.set(a[0], decode(src.slice(i, end), i));
      i = end + 1;
    }
    if (el.parent) el.parent.children.push(el);
    else root = el;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element under `el` (itself included), in document order. */
export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

export const classes = (el: XmlElement): string[] => (el.attrs.get('class') ?? '').split(/\s+/).filter(Boolean);
