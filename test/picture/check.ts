// Checks a picture against the JSON of the same records: every member element, in order, with the
// JSON member's name, offset, size and bits; every hole element at a JSON hole; and the drawn
// geometry: each block's rectangles cover exactly its bytes (bits for bitfields) on the grid, siblings
// never overlap, nested members stay inside their record's outline. Returns the problems found.
import { classes, walk, type XmlElement } from './xml.js';

export interface JMember {
  name: string | null;
  offset: number;
  size: number;
  bitOffset?: number;
  bitSize?: number;
  members?: JMember[];
}
export interface JRecord {
  name: string | null;
  typedef?: string;
  size: number;
  members: JMember[];
  holes: { offset: number; size: number }[];
  bitHoles?: { bitOffset: number; bits: number }[];
  tailPadding: number;
}

interface Box {
  row: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const num = (el: XmlElement, a: string): number => Number(el.attrs.get(a));
const EPS = 0.05;

function flatten(ms: readonly JMember[], out: JMember[] = []): JMember[] {
  for (const m of ms) {
    out.push(m);
    if (m.members) flatten(m.members, out);
  }
  return out;
}

/** The element's own drawn boxes (its direct rect/line children that carry data-row). */
function boxes(el: XmlElement): Box[] {
  const out: Box[] = [];
  for (const c of el.children) {
    if (!c.attrs.has('data-row')) continue;
    if (c.name === 'rect')
      out.push({
        row: num(c, 'data-row'),
        x0: num(c, 'x'),
        x1: num(c, 'x') + num(c, 'width'),
        y0: num(c, 'y'),
        y1: num(c, 'y') + num(c, 'height'),
      });
    else if (c.name === 'line')
      out.push({ row: num(c, 'data-row'), x0: num(c, 'x1'), x1: num(c, 'x1'), y0: num(c, 'y1'), y1: num(c, 'y2') });
  }
  return out;
}

export function checkRecord(rec: XmlElement, j: JRecord): string[] {
  const problems: string[] = [];
  const label = j.name ?? j.typedef ?? '(anonymous)';
  const say = (s: string) => problems.length < 20 && problems.push(`${label}: ${s}`);
  const rowBytes = num(rec, 'data-row-bytes');
  const bw = num(rec, 'data-byte-width');
  const x0 = num(rec, 'data-x0');
  if (num(rec, 'data-size') !== j.size) say(`data-size ${rec.attrs.get('data-size')} != ${j.size}`);
  /** The bit range [start, end) the boxes cover on the grid; undefined when not one contiguous run. */
  const cover = (bs: Box[]): [number, number] | undefined => {
    const runs = bs
      .map(
        (b) =>
          [b.row * rowBytes * 8 + ((b.x0 - x0) / bw) * 8, b.row * rowBytes * 8 + ((b.x1 - x0) / bw) * 8] as [
            number,
            number,
          ],
      )
      .sort((a, b) => a[0] - b[0]);
    if (runs.length === 0) return undefined;
    for (let i = 1; i < runs.length; i++) if (Math.abs(runs[i]![0] - runs[i - 1]![1]) > EPS) return undefined;
    return [Math.round(runs[0]![0] / EPS) * EPS, Math.round(runs[runs.length - 1]![1] / EPS) * EPS];
  };
  const near = (a: number, b: number) => Math.abs(a - b) <= EPS;
  const all = [...walk(rec)];
  const members = all.filter((e) => e.name === 'g' && classes(e).includes('member'));
  const want = flatten(j.members);
  if (members.length !== want.length) say(`${members.length} member elements, JSON has ${want.length}`);
  for (let i = 0; i < Math.min(members.length, want.length); i++) {
    const el = members[i]!;
    const w = want[i]!;
    const what = `member ${i} (${w.name})`;
    if (el.attrs.get('data-name') !== (w.name ?? '')) say(`${what}: data-name '${el.attrs.get('data-name')}'`);
    if (num(el, 'data-offset') !== w.offset || num(el, 'data-size') !== w.size)
      say(`${what}: at ${el.attrs.get('data-offset')}+${el.attrs.get('data-size')}, JSON ${w.offset}+${w.size}`);
    if (
      w.bitSize !== undefined &&
      (num(el, 'data-bit-offset') !== w.bitOffset || num(el, 'data-bit-size') !== w.bitSize)
    )
      say(
        `${what}: bits ${el.attrs.get('data-bit-offset')}:${el.attrs.get('data-bit-size')}, JSON ${w.bitOffset}:${w.bitSize}`,
      );
    if (w.bitSize === undefined && el.attrs.has('data-bit-size')) say(`${what}: bits on a member that is no bitfield`);
    if (!el.children.some((c) => c.name === 'title' && c.text.length > 0)) say(`${what}: no title`);
    const start = w.bitSize !== undefined ? w.bitOffset! : w.offset * 8;
    const bits = w.bitSize ?? w.size * 8;
    const c = cover(boxes(el));
    if (!c || !near(c[0], start) || !near(c[1], start + bits))
      say(`${what}: drawn over bits ${c ? c.join('..') : '(not contiguous)'}, JSON ${start}..${start + bits}`);
  }
  // Holes of the record itself (depth 0) against the JSON's.
  const holes = all.filter((e) => e.name === 'g' && classes(e).includes('hole') && e.attrs.get('data-depth') === '0');
  const key = (a: number, b: number) => `${a}+${b}`;
  const got = (kind: (c: string[]) => boolean, f: (e: XmlElement) => string) =>
    holes
      .filter((e) => kind(classes(e)))
      .map(f)
      .sort();
  const byteHoles = got(
    (c) => !c.includes('bithole') && !c.includes('tail'),
    (e) => key(num(e, 'data-offset'), num(e, 'data-size')),
  );
  const wantHoles = j.holes.map((h) => key(h.offset, h.size)).sort();
  if (byteHoles.join() !== wantHoles.join()) say(`holes ${byteHoles.join(' ')} != JSON ${wantHoles.join(' ')}`);
  const bitHoles = got(
    (c) => c.includes('bithole') && !c.includes('bitpad'),
    (e) => key(num(e, 'data-bit-offset'), num(e, 'data-bits')),
  );
  const wantBits = (j.bitHoles ?? []).map((h) => key(h.bitOffset, h.bits)).sort();
  if (bitHoles.join() !== wantBits.join()) say(`bit holes ${bitHoles.join(' ')} != JSON ${wantBits.join(' ')}`);
  const tail = got(
    (c) => c.includes('tail'),
    (e) => key(num(e, 'data-offset'), num(e, 'data-size')),
  );
  if (tail.join() !== (j.tailPadding ? key(j.size - j.tailPadding, j.tailPadding) : ''))
    say(`tail padding ${tail.join()} != JSON ${j.tailPadding}`);
  for (const h of all.filter((e) => e.name === 'g' && classes(e).includes('hole'))) {
    const bitwise = h.attrs.has('data-bits');
    const start = bitwise ? num(h, 'data-bit-offset') : num(h, 'data-offset') * 8;
    const bits = bitwise ? num(h, 'data-bits') : num(h, 'data-size') * 8;
    const c = cover(boxes(h));
    if (!c || !near(c[0], start) || !near(c[1], start + bits)) say(`hole at bit ${start}: drawn over ${c?.join('..')}`);
  }
  // Siblings (members and holes with one parent) never overlap; children stay inside their outline.
  for (const parent of all) {
    const kids = parent.children.filter(
      (e) => e.name === 'g' && (classes(e).includes('member') || classes(e).includes('hole')),
    );
    const bx = kids.map((k) => boxes(k).filter((b) => b.x1 - b.x0 > EPS));
    for (let a = 0; a < kids.length; a++)
      for (let b = a + 1; b < kids.length; b++)
        for (const p of bx[a]!)
          for (const q of bx[b]!)
            if (p.row === q.row && p.y0 < q.y1 - EPS && q.y0 < p.y1 - EPS && p.x0 < q.x1 - EPS && q.x0 < p.x1 - EPS)
              say(
                `'${kids[a]!.attrs.get('data-name') ?? 'hole'}' overlaps '${kids[b]!.attrs.get('data-name') ?? 'hole'}' in row ${p.row}`,
              );
    if (parent.name === 'g' && classes(parent).includes('nested')) {
      const outer = boxes(parent);
      for (const k of bx.flat())
        if (
          !outer.some(
            (o) =>
              o.row === k.row && k.x0 >= o.x0 - EPS && k.x1 <= o.x1 + EPS && k.y0 >= o.y0 - EPS && k.y1 <= o.y1 + EPS,
          )
        )
          say(`a block inside '${parent.attrs.get('data-name')}' is drawn outside its outline (row ${k.row})`);
    }
  }
  return problems;
}

/** Every record of an SVG document against the JSON's records, in order. */
export function checkSvg(root: XmlElement, json: { records: JRecord[] }): string[] {
  const recs = [...walk(root)].filter((e) => e.name === 'g' && classes(e).includes('record'));
  const problems: string[] = [];
  if (recs.length !== json.records.length)
    problems.push(`${recs.length} record pictures, JSON has ${json.records.length}`);
  for (let i = 0; i < Math.min(recs.length, json.records.length); i++)
    problems.push(...checkRecord(recs[i]!, json.records[i]!));
  return problems;
}
