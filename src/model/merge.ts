// Source comments for compiled records: binaries carry no comments, so when the source of the same
// records is analysed too, each member takes its trailing and leading comments (and its spelling and
// #if condition) from the source member of the same name. Returns new records; inputs are untouched.

import { isAnonymousRecordMember, recordOf, type Member, type RecordType } from './model.js';

export function withSourceComments(binary: readonly RecordType[], source: readonly RecordType[]): RecordType[] {
  const byName = new Map<string, RecordType>();
  for (const r of source)
    if (r.name !== null && !byName.has(`${r.kind} ${r.name}`)) byName.set(`${r.kind} ${r.name}`, r);
  return binary.map((r) => {
    const s = r.name !== null ? byName.get(`${r.kind} ${r.name}`) : undefined;
    return s ? merge(r, s, 0) : r;
  });
}

function merge(b: RecordType, s: RecordType, depth: number): RecordType {
  if (depth > 16) return b;
  const members: Member[] = b.members.map((m, i) => {
    const sm = m.name !== null ? s.members.find((x) => x.name === m.name) : s.members[i];
    if (!sm) return m;
    let type = m.type;
    const bsub = recordOf(m.type);
    const ssub = recordOf(sm.type);
    if (bsub && ssub && isAnonymousRecordMember(m) && m.type.kind === 'record')
      type = { kind: 'record', record: merge(bsub, ssub, depth + 1) };
    const out: { -readonly [K in keyof Member]: Member[K] } = { ...m, type };
    if (sm.comment && !m.comment) out.comment = sm.comment;
    if (sm.leadingComment && !m.leadingComment) out.leadingComment = sm.leadingComment;
    if (sm.spelling && !m.spelling) out.spelling = sm.spelling;
    if (sm.condition && !m.condition) out.condition = sm.condition;
    return out;
  });
  return { ...b, members, ...(s.comment && !b.comment ? { comment: s.comment } : {}) };
}
