// The refusal every analysis and renderer that computes in numbers gives a record larger than 2^50
// bytes (RecordType.exactSize): its numbers are the nearest doubles, so any answer could be wrong.

import { inexact, unfinished, type RecordType } from '../model/model.js';

/** Thrown for a record larger than 2^50 bytes by an analysis that cannot be exact for it; the message
 *  says where the record is defined and which analysis refused it ("file:line: ... cannot handle"). */
export class InexactRecordError extends Error {
  constructor(
    readonly record: RecordType,
    message: string,
  ) {
    super(message);
    this.name = 'InexactRecordError';
  }
}

/** True when every number of the record is exact (it is not larger than 2^50 bytes). */
export const isExact = (r: RecordType): boolean => inexact(r, '') === undefined;

/** Throws InexactRecordError for the first record `analysis` cannot be exact for. */
export function requireExact(records: readonly (RecordType | undefined)[], analysis: string): void {
  for (const r of records) {
    const why = r && inexact(r, analysis);
    if (why) throw new InexactRecordError(r, why);
  }
}

/** Thrown for a record an error left incomplete by an analysis that needs its whole layout (a binding,
 *  a decoding): what it would print for the members after the error would be wrong. */
export class IncompleteRecordError extends Error {
  constructor(
    readonly record: RecordType,
    message: string,
  ) {
    super(message);
    this.name = 'IncompleteRecordError';
  }
}

/** Throws IncompleteRecordError for the first incomplete record, then InexactRecordError as requireExact. */
export function requireWhole(records: readonly (RecordType | undefined)[], analysis: string): void {
  for (const r of records) {
    const why = r && unfinished(r, analysis);
    if (why) throw new IncompleteRecordError(r, why);
  }
  requireExact(records, analysis);
}

/** The records `analysis` can take, and a refusal for each other one (callers that go on): past
 *  2^50 bytes, and with `whole` also left incomplete by an error. */
export function usableOnly(
  records: readonly RecordType[],
  analysis: string,
  whole = false,
): { readonly records: RecordType[]; readonly refused: (InexactRecordError | IncompleteRecordError)[] } {
  const out: RecordType[] = [];
  const refused: (InexactRecordError | IncompleteRecordError)[] = [];
  for (const r of records) {
    const gap = whole ? unfinished(r, analysis) : undefined;
    const why = gap ?? inexact(r, analysis);
    if (gap) refused.push(new IncompleteRecordError(r, gap));
    else if (why) refused.push(new InexactRecordError(r, why));
    else out.push(r);
  }
  return { records: out, refused };
}
