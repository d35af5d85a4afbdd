// A node:test reporter (scripts/run-tests.mjs adds it beside spec): one JSON line per skipped test,
// with its file and reason, for the list printed at the end of the run.
export default async function* skips(source) {
  for await (const e of source) {
    if ((e.type === 'test:pass' || e.type === 'test:fail') && e.data.skip !== undefined) {
      yield `${JSON.stringify({ file: e.data.file ?? '', name: e.data.name, reason: e.data.skip === true ? '' : String(e.data.skip) })}\n`;
    }
  }
}
