// A progress line on stderr for long work (count, rate, time left), drawn only when stderr is a
// terminal, and only once the work has lasted a moment: pipes stay clean, quick runs stay quiet.

/** The line's updater: call it with the count done; the line is cleared when `done` reaches `total`. */
export function progressBar(total: number, what: string, after = 0): (done: number) => void {
  if (!process.stderr.isTTY || total === 0) return () => {};
  const t0 = Date.now();
  let drawn = 0;
  return (done) => {
    const now = Date.now();
    // (At most ten lines a second, and none before `after` ms.)
    if (done < total && (now - t0 < after || now - drawn < 100)) return;
    if (done >= total) {
      if (drawn) process.stderr.write('\r\x1b[2K');
      return;
    }
    drawn = now;
    const s = (now - t0) / 1000;
    const rate = done / Math.max(s, 1e-3);
    const left = rate > 0 ? Math.round((total - done) / rate) : 0;
    const width = 30;
    const bar = '#'.repeat(Math.round((width * done) / total)).padEnd(width, '.');
    process.stderr.write(
      `\r\x1b[2K[${bar}] ${done}/${total} ${what}, ${rate.toFixed(1)}/s, ` +
        `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left`,
    );
  };
}
