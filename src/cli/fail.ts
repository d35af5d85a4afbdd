// What the user sees when layoutof itself is at fault: a thrown error that no input check caught is a
// bug, said as one (exit 70, EX_SOFTWARE), never passed off as bad input, and without a stack trace
// unless LAYOUTOF_DEBUG is set (then the stack, for the report).

/** Exit status of an internal error (sysexits.h's EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

/** Reports `e` as an internal error on stderr and returns its exit status. */
export function internalError(e: unknown): number {
  const msg = e instanceof Error ? `${e.name === 'Error' ? '' : e.name + ': '}${e.message}` : String(e);
  let text =
    `layoutof: internal error: ${msg}\nlayoutof: this is a bug in layoutof: please report it, with the input that ` +
    `caused it`;
  if (process.env.LAYOUTOF_DEBUG) text += `\n${e instanceof Error && e.stack ? e.stack : msg}`;
  else text += ' (LAYOUTOF_DEBUG=1 shows where it happened)';
  try {
    process.stderr.write(text + '\n');
  } catch {
    /* stderr is gone: the status still says it */
  }
  return EXIT_INTERNAL;
}
