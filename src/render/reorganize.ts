// The reorganizer's answer, formatted: the new layout in the usual text or JSON view with where each
// member was, and a summary of what the new order saves; a record left alone says why.

import type { HoleCauses } from '../analyze/hole-cause.js';
import type { RecordView } from '../analyze/layout-view.js';
import type { ReorganizeResult } from '../analyze/reorganize.js';
import type { RecordType } from '../model/model.js';
import { caveatText } from '../analyze/reorganize-binary.js';
import { toJson } from './json.js';
import { renderText } from './text.js';

export interface ReorganizedView {
  readonly result: ReorganizeResult;
  /** The view of the new record (of the original when unchanged). */
  readonly view: RecordView;
  readonly target: string;
  /** What made each hole of the new layout, said in its notes (src/analyze/hole-cause.ts). */
  readonly causes?: HoleCauses;
}

const nameOf = (r: RecordType): string => r.name ?? r.typedef ?? r.kind;
const title = (r: RecordType): string => (r.name !== null ? `${r.kind} ${r.name}` : (r.typedef ?? r.kind));

/** The new layout with "was at N" beside each moved member, and a closing summary. */
export function renderReorganizedText(
  views: readonly ReorganizedView[],
  opts: { readonly color?: boolean } = {},
): string {
  return views
    .map((v) => {
      const res = v.result;
      if (res.kind === 'unchanged')
        return (
          `/* ${title(res.original)} (${v.target}): not reorganized: ` +
          `${res.reason} (size ${res.original.incomplete ? '?' : res.original.size}) */\n`
        );
      const was = new Map(res.order.map((i, k) => [res.record.members[k]!, res.original.members[i]!]));
      const record: RecordType = {
        ...res.record,
        members: res.record.members.map((m) => {
          const old = was.get(m)!;
          const note =
            old.bitOffset === m.bitOffset ? undefined : `was at ${position(old.bitOffset, old.bitSize !== undefined)}`;
          const { comment: _c, leadingComment: _l, ...rest } = m;
          return note ? { ...rest, comment: note } : rest;
        }),
      };
      const text = renderText(
        [
          {
            ...v.view,
            record,
            rows: v.view.rows.map((row) =>
              'member' in row && was.has(row.member)
                ? { ...row, member: record.members[res.record.members.indexOf(row.member)]! }
                : row,
            ),
          } as RecordView,
        ],
        { comments: true, color: opts.color, causes: [v.causes] },
      );
      const saved = res.original.size - res.record.size;
      let s = `/* ${v.target}: ${res.original.size} -> ${res.record.size} bytes`;
      s += saved > 0 ? ` (saved ${saved})` : ' (same size)';
      s += `, ${res.moved} unit${res.moved === 1 ? '' : 's'} moved`;
      if (res.straddles.before !== res.straddles.after)
        s += `, members across a cacheline ${res.straddles.before} -> ${res.straddles.after}`;
      if (res.hot)
        s += `, hot members span ${res.hot.before} -> ${res.hot.after} cacheline${res.hot.after === 1 ? '' : 's'}`;
      // (From a binary, an order that rests on alignments it does not record says so.)
      const note = res.caveat ? `/* ${caveatText(res.caveat, nameOf(res.original))} */\n` : '';
      return text + s + ' */\n' + note;
    })
    .join('\n');
}

function position(bits: number, bitfield: boolean): string {
  return bitfield ? `${Math.floor(bits / 8)}:${bits % 8}` : String(bits / 8);
}

/** The usual JSON schema for the new records, each with originalSize, moved and the old offsets. */
export function renderReorganizedJson(views: readonly ReorganizedView[]): string {
  const byTarget = new Map<string, ReorganizedView[]>();
  for (const v of views) byTarget.set(v.target, [...(byTarget.get(v.target) ?? []), v]);
  const out = [...byTarget].map(([target, vs]) => {
    const j = toJson(
      target,
      vs.map((v) => v.view),
      { causes: vs.map((v) => v.causes) },
    ) as { target: string; records: { [k: string]: unknown }[] };
    j.records.forEach((rec, k) => {
      const res = vs[k]!.result;
      rec.originalSize = res.original.size;
      if (res.kind === 'unchanged') {
        rec.reorganized = false;
        rec.reason = res.reason;
        return;
      }
      rec.reorganized = true;
      rec.moved = res.moved;
      rec.wasAt = res.order.map((i) => res.original.members[i]!.bitOffset / 8);
      if (res.hot) rec.hotCachelines = res.hot;
      if (res.caveat) {
        rec.assumes = res.caveat.assumes;
        rec.caveat = caveatText(res.caveat, nameOf(res.original));
      }
    });
    return j;
  });
  return JSON.stringify(out.length === 1 ? out[0] : { targets: out }, null, 2) + '\n';
}
