// The page: a CodeMirror editor for C, files chosen or dropped (an ELF or BTF file too), the options,
// the record list, and the output (picture, table, JSON) drawn by the engine in a web worker. The
// state for pasted source lives in the URL fragment (state.ts), so a link reproduces what was seen.
import { EditorView, basicSetup } from 'codemirror';
import { cpp } from '@codemirror/lang-cpp';
import { setDiagnostics, type Diagnostic as EditorDiagnostic } from '@codemirror/lint';
import { DEFAULT_TARGET, TARGETS } from '../src/target/target.js';
import { isBinaryInput } from '../src/binary/index.js';
import example from '../examples/ip_vs_conn.h';
import type { Input, Problem, RecordEntry, Reply, Request } from './protocol.js';
import { decodeState, encodeState, type PageState } from './state.js';
import { RecordList } from './list.js';
import { decodeText, fromDrop, fromFileList, type GivenFile } from './files.js';

const MAIN = '/input.c';
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const targetSel = $<HTMLSelectElement>('target');
const target2Sel = $<HTMLSelectElement>('target2');
const cachelineIn = $<HTMLInputElement>('cacheline');
const expandIn = $<HTMLInputElement>('expand');
const searchIn = $<HTMLInputElement>('search');
const problemsBox = $('problems');
const note = $('input-note');
const backButton = $<HTMLButtonElement>('back-to-source');

/** Timings the browser test reads: ms from the request to the picture on screen. */
const timings: { load?: number; show?: number; firstPicture?: number } = {};
(window as unknown as { layoutof: unknown }).layoutof = { timings };

for (const t of TARGETS) {
  targetSel.add(new Option(t.triple, t.triple));
  target2Sel.add(new Option(t.triple, t.triple));
}

const files: { [path: string]: string } = {};
const includeDirs: string[] = [];
let binary: { name: string; bytes: Uint8Array } | undefined;
let records: readonly RecordEntry[] = [];
let current: string | undefined;
let wanted: string | undefined;
let loadId = 0;
let showId = 0;
let loadStart = 0;
let showStart = 0;
let lastHash = '';
let timer: ReturnType<typeof setTimeout> | undefined;

const worker = new Worker('worker.js');
const post = (r: Request): void => worker.postMessage(r);

const editor = new EditorView({
  doc: '',
  extensions: [
    basicSetup,
    cpp(),
    EditorView.contentAttributes.of({ 'aria-label': 'C source' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged && !binary) schedule();
    }),
  ],
  parent: $('editor'),
});

const list = new RecordList($('records'), (name) => show(name));

function targets(): string[] {
  const t = [targetSel.value];
  if (target2Sel.value && target2Sel.value !== targetSel.value) t.push(target2Sel.value);
  return t;
}

function schedule(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(load, 300);
}

function setBusy(busy: boolean): void {
  document.body.dataset.busy = String(busy);
}

function load(): void {
  timer = undefined;
  const input: Input = binary
    ? { kind: 'binary', name: binary.name, bytes: binary.bytes }
    : { kind: 'source', main: MAIN, files: { ...files, [MAIN]: editor.state.doc.toString() }, includeDirs };
  loadStart = performance.now();
  setBusy(true);
  post({ type: 'load', id: ++loadId, input, targets: targets() });
}

function cacheline(): number {
  const n = Number(cachelineIn.value);
  return Number.isInteger(n) && n > 0 ? n : 64;
}

function show(name: string): void {
  wanted = name;
  showStart = performance.now();
  setBusy(true);
  post({ type: 'show', id: ++showId, name, cacheline: cacheline(), expand: expandIn.checked });
}

function state(): PageState {
  return {
    source: binary ? undefined : editor.state.doc.toString(),
    targets: targets(),
    record: current,
    cacheline: cacheline(),
    expand: expandIn.checked,
  };
}

function saveState(): void {
  lastHash = '#' + encodeState(state());
  if (location.hash !== lastHash) history.replaceState(null, '', lastHash);
}

function showProblems(problems: readonly Problem[]): void {
  const doc = editor.state.doc;
  const marks: EditorDiagnostic[] = [];
  const items: HTMLElement[] = [];
  for (const p of problems) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = p.severity;
    b.textContent = p.text;
    if (p.file === MAIN && p.line !== undefined && p.line <= doc.lines) {
      const line = doc.line(p.line);
      const from = Math.min(line.to, line.from + Math.max(0, (p.col ?? 1) - 1));
      marks.push({
        from,
        to: Math.min(line.to, from + 1),
        severity: p.severity === 'note' ? 'info' : p.severity,
        message: p.message,
      });
      b.addEventListener('click', () => {
        editor.dispatch({ selection: { anchor: from }, scrollIntoView: true });
        editor.focus();
      });
    }
    items.push(b);
  }
  problemsBox.replaceChildren(...items);
  editor.dispatch(setDiagnostics(editor.state, marks));
}

worker.onmessage = (e: MessageEvent<Reply>) => {
  const r = e.data;
  if (r.type === 'failed') {
    setBusy(false);
    const b = document.createElement('div');
    b.className = 'error';
    b.textContent = r.message;
    problemsBox.append(b);
    return;
  }
  if (r.type === 'loaded') {
    if (r.id !== loadId) return;
    timings.load = performance.now() - loadStart;
    records = r.records;
    list.setRecords(records, searchIn.value);
    $('count').textContent =
      `${records.length} records${binary ? ` in ${binary.name}` : ''} (analysed in ${Math.round(r.ms)} ms)`;
    showProblems(r.problems);
    const pick =
      (wanted && records.some((x) => x.name === wanted) ? wanted : undefined) ??
      records.find((x) => x.main)?.name ??
      records[0]?.name;
    if (pick) show(pick);
    else {
      setBusy(false);
      $('picture').replaceChildren();
      $('summary').textContent = 'No struct or union here.';
    }
    return;
  }
  if (r.id !== showId) return;
  const now = performance.now();
  timings.show = now - showStart;
  timings.firstPicture ??= now;
  current = r.name;
  $('picture').innerHTML = r.svg;
  $('picture').classList.toggle('side', targets().length > 1 && !binary);
  $('table').innerHTML = r.table;
  $('json').textContent = r.json;
  $('summary').textContent = r.summary;
  $('timing').textContent = `drawn in ${Math.round(r.ms)} ms`;
  list.select(r.name);
  saveState();
  setBusy(false);
};

/** Files chosen or dropped: one ELF/BTF file is read as a binary; text files join the file system. */
async function given(list: GivenFile[]): Promise<void> {
  const bin = list.find((f) => isBinaryInput(f.bytes.subarray(0, 64)));
  if (bin) {
    binary = { name: bin.path, bytes: bin.bytes };
    note.textContent = `Showing ${bin.path} (compiled type info).`;
    $('editor').classList.add('inactive');
    backButton.hidden = false;
    load();
    return;
  }
  const top: string[] = [];
  for (const f of list) {
    files[`/files/${f.path}`] = decodeText(f.bytes);
    const dir = `/files/${f.path}`.replace(/\/[^/]*$/, '');
    const root = `/files/${f.path.split('/')[0]}`;
    for (const d of [dir, root]) if (!includeDirs.includes(d)) includeDirs.push(d);
    if (!f.path.includes('/') && /\.[ch]$/.test(f.path)) top.push(f.path);
  }
  const n = Object.keys(files).length;
  note.textContent = `${n} file${n === 1 ? '' : 's'} available to #include.`;
  if (top.length) {
    const lines = top.map((p) => `#include "${p}"\n`).join('');
    const doc = editor.state.doc.toString();
    editor.dispatch({
      changes: doc === example ? { from: 0, to: doc.length, insert: lines } : { from: 0, insert: lines },
    });
  }
  // (At once: the editor's pause for typing is not wanted here.)
  if (timer) clearTimeout(timer);
  load();
}

backButton.addEventListener('click', () => {
  binary = undefined;
  backButton.hidden = true;
  note.textContent = '';
  $('editor').classList.remove('inactive');
  load();
});
for (const id of ['choose-files', 'choose-folder'])
  $<HTMLInputElement>(id).addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    if (input.files?.length) await given(await fromFileList(input.files));
    input.value = '';
  });
const hint = $('drop-hint');
window.addEventListener('dragover', (e) => {
  e.preventDefault();
  hint.hidden = false;
});
window.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) hint.hidden = true;
});
window.addEventListener('drop', async (e) => {
  e.preventDefault();
  hint.hidden = true;
  if (e.dataTransfer) await given(await fromDrop(e.dataTransfer));
});
targetSel.addEventListener('change', load);
target2Sel.addEventListener('change', load);
cachelineIn.addEventListener('change', () => current && show(current));
expandIn.addEventListener('change', () => current && show(current));
searchIn.addEventListener('input', () => {
  list.filter(searchIn.value);
  $('count').textContent = `${list.count} of ${records.length} records`;
});
searchIn.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    const first = list.first();
    if (first) show(first);
    // (Typed while the input is still being analysed: shown when it is, if it names a record.)
    else if (document.body.dataset.busy === 'true' || timer) wanted = searchIn.value.trim();
  } else if (e.key === 'ArrowDown') {
    $('records').focus();
  } else return;
  e.preventDefault();
});

/** Applies a URL fragment: the source, targets, record and options it names. */
function apply(hash: string): void {
  const s = decodeState(hash);
  const known = (t: string) => TARGETS.some((x) => x.triple === t);
  targetSel.value = s.targets[0] && known(s.targets[0]) ? s.targets[0] : DEFAULT_TARGET.triple;
  target2Sel.value = s.targets[1] && known(s.targets[1]) ? s.targets[1] : '';
  cachelineIn.value = String(s.cacheline ?? 64);
  expandIn.checked = !!s.expand;
  wanted = s.record;
  binary = undefined;
  backButton.hidden = true;
  $('editor').classList.remove('inactive');
  const text = s.source ?? (editor.state.doc.length ? editor.state.doc.toString() : example);
  if (text !== editor.state.doc.toString())
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
  if (timer) clearTimeout(timer);
  load();
}

window.addEventListener('hashchange', () => {
  if (location.hash !== lastHash) apply(location.hash);
});
apply(location.hash);
