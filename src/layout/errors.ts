// The errors layout throws (a leaf module: the layout files import each other, and a class must be
// defined before another module's class can extend it).

import type { RecordDecl } from '../cparse/ctype.js';

/** Thrown for types that have no size (incomplete records, void arrays); callers report it. `field`:
 *  the index of the member it concerns, when layout knows it. */
export class LayoutError extends Error {
  constructor(
    message: string,
    readonly field?: number,
    readonly decl?: RecordDecl,
  ) {
    super(message);
  }
}

/** Thrown by the plain (number) layout when a value leaves MAX_EXACT_BYTES (layout.ts): layoutRecord then lays the
 *  record out again in bigint. Where it escapes (a sizeof in a constant expression), its message says
 *  why there is no answer. */
export class OutOfRange extends LayoutError {
  constructor() {
    super('type is too large for an exact size in a constant expression (more than 2^50 bytes)');
  }
}
export const OUT_OF_RANGE = new OutOfRange();

/** An array larger than gcc allows, in gcc's words once the member's name is known (see fieldSize):
 *  a count past PTRDIFF_MAX, or bytes that overflow the size type, "is too large"; bytes between
 *  the two "exceed maximum object size". */
export class ArrayTooLarge extends LayoutError {
  constructor(
    private readonly bytes: bigint | 'count' | 'overflow',
    private readonly max: bigint,
  ) {
    super('size of array is too large');
  }
  forName(name: string): string {
    if (this.bytes === 'count') return `size of array '${name}' is too large`;
    if (this.bytes === 'overflow') return `size of array '${name}' exceeds maximum object size '${this.max}'`;
    return `size '${this.bytes}' of array '${name}' exceeds maximum object size '${this.max}'`;
  }
}
