// The web page in a real browser: playwright-core drives Debian's chromium against dist/web/ served from
// 127.0.0.1. Paste the example, pick a target and a record, and check the inline picture's blocks
// against the CLI's JSON; drop a vmlinux BTF and find task_struct; follow a #c= link; a keyboard-only
// pass. Screenshots go to test-artifacts/picture/ (look at them). The time to the first picture
// is measured and printed, not asserted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseXml } from './xml.js';
import { checkSvg, type JRecord } from './check.js';
import { encodeState } from '../../web/state.js';
import { findKernelHeaders, kbuildProbe } from '../support/kernel.js';

const CHROMIUM = process.env.LAYOUTOF_CHROMIUM ?? '/usr/bin/chromium';
const BTF = '.cache/kernel-image-amd64/vmlinux.btf';
const SHOTS = 'test-artifacts/picture';
const skip = !existsSync(CHROMIUM)
  ? `no ${CHROMIUM} (apt-get install chromium; scripts/install-test-deps.sh)`
  : !existsSync('dist/web/index.html')
    ? 'dist/web not built (npm run build)'
    : false;

let browser: Browser;
let server: Server;
let url: string;
let files: { server: Server; url: string } | undefined;

before(async () => {
  if (skip) return;
  mkdirSync(SHOTS, { recursive: true });
  const { serve } = (await import('../../scripts/serve-web.mjs')) as {
    serve: (dir: string, port?: number) => Promise<{ server: Server; url: string }>;
  };
  ({ server, url } = await serve('dist/web'));
  // The inputs a test drops come from a second server (a page cannot read the disk).
  mkdirSync('test-artifacts/inputs', { recursive: true });
  files = await serve('test-artifacts/inputs');
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});
after(async () => {
  await browser?.close();
  server?.close();
  files?.server.close();
});

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['dist/cli/run.js', '--no-cache', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

async function open(hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  await page.goto(url + (hash ? '#' + hash : ''));
  await page.waitForSelector('#picture svg g.record');
  return page;
}

const pictureXml = (page: Page) =>
  page.evaluate(() => new XMLSerializer().serializeToString(document.querySelector('#picture svg')!));

/** Waits until the picture shows `name` and the page is idle. */
async function shows(page: Page, name: string): Promise<void> {
  await page.waitForSelector(`#picture g.record[data-name="${name}"]`);
  await page.waitForFunction(() => document.body.dataset.busy === 'false');
}

/** The picture on the page against the CLI's JSON of the same record. */
async function agrees(page: Page, ...cliArgs: string[]): Promise<void> {
  const json = JSON.parse(cli(...cliArgs, '--format', 'json')) as { records: JRecord[] };
  assert.deepEqual(checkSvg(parseXml(await pictureXml(page)), json), []);
}

/** Drops `file` (copied where the page can fetch it) on the page, as a file manager would. */
async function drop(page: Page, file: string, name: string): Promise<void> {
  writeFileSync(join('test-artifacts/inputs', name), readFileSync(file));
  await page.evaluate(
    async ([base, name]) => {
      const bytes = await (await fetch(base + name)).arrayBuffer();
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
    },
    [files!.url, name] as const,
  );
}

test('paste the example, pick a target and a record: the picture is the JSON', { skip }, async () => {
  const page = await open();
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(readFileSync('examples/ip_vs_conn.h', 'utf8'));
  await page.selectOption('#target', 'i686-linux-gnu');
  await page.fill('#search', 'ip_vs_conn');
  await page.press('#search', 'Enter');
  await shows(page, 'ip_vs_conn');
  await agrees(page, 'examples/ip_vs_conn.h', 'ip_vs_conn', '--target', 'i686-linux-gnu');
  assert.match(page.url(), /#c=[A-Za-z0-9_-]+&t=i686-linux-gnu&r=ip_vs_conn/);
  assert.match((await page.textContent('#summary')) ?? '', /^\d+ bytes, align 4/);
  assert.ok(((await page.textContent('#table')) ?? '').includes('c_list'));
  await page.click('#picture');
  await page.screenshot({ path: `${SHOTS}/example-i686.png`, fullPage: true });
  // Side by side with x86_64, differing members marked.
  await page.selectOption('#target2', 'x86_64-linux-gnu');
  await page.waitForFunction(() => document.querySelectorAll('#picture g.record').length === 2);
  assert.ok((await page.locator('#picture g.member.differs').count()) > 0);
  assert.match(page.url(), /&t=i686-linux-gnu&t=x86_64-linux-gnu/);
  await page.screenshot({ path: `${SHOTS}/example-side-by-side.png`, fullPage: true });
  // An error is shown in place, with its line and column.
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\nstruct broken { int a b; };\n');
  await page.waitForSelector('#problems .error');
  assert.match((await page.textContent('#problems')) ?? '', /\/input\.c:\d+:\d+: error:/);
  await page.waitForSelector('.cm-lintRange-error');
  await page.screenshot({ path: `${SHOTS}/error-in-place.png` });
  await page.close();
});

test('follow a #c= link: source, target and record come from the fragment', { skip }, async () => {
  const source = 'struct inner { char c; long l; };\nstruct outer { short s; struct inner in; unsigned f:3, g:9; };\n';
  const page = await open(encodeState({ source, targets: ['aarch64-linux-gnu'], record: 'outer', expand: true }));
  await shows(page, 'outer');
  assert.equal(await page.inputValue('#target'), 'aarch64-linux-gnu');
  assert.equal(await page.isChecked('#expand'), true);
  writeFileSync('test-artifacts/inputs/link.c', source);
  await agrees(page, 'test-artifacts/inputs/link.c', 'outer', '--target', 'aarch64-linux-gnu', '--expand');
  assert.ok((await page.locator('#picture g.member.nested[data-name="in"] g.member[data-name="l"]').count()) === 1);
  await page.screenshot({ path: `${SHOTS}/link.png`, fullPage: true });
  // A dark background: the picture's own style sheet follows the page's colour scheme.
  await page.emulateMedia({ colorScheme: 'dark' });
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector('#picture svg rect.bg')!).fill);
  assert.equal(bg, 'rgb(22, 24, 28)');
  await page.screenshot({ path: `${SHOTS}/link-dark.png`, fullPage: true });
  await page.close();
});

test('drop a vmlinux BTF and find task_struct', { skip: skip || (!existsSync(BTF) && `${BTF} missing`) }, async () => {
  const page = await open();
  const t0 = Date.now();
  await drop(page, BTF, 'vmlinux.btf');
  await page.waitForFunction(() => /records in vmlinux\.btf/.test(document.getElementById('count')!.textContent ?? ''));
  await page.waitForFunction(() => document.body.dataset.busy === 'false');
  const first = Date.now() - t0;
  const count = Number(/^(\d+)/.exec((await page.textContent('#count')) ?? '')![1]);
  assert.ok(count > 5000, `${count} records`);
  await page.fill('#search', 'task_struct');
  const t1 = Date.now();
  await page.press('#search', 'Enter');
  await shows(page, 'task_struct');
  const pick = Date.now() - t1;
  console.log(
    `# vmlinux BTF (${count} records): first picture ${first} ms after the drop; task_struct drawn ${pick} ms after Enter`,
  );
  await agrees(page, BTF, 'task_struct');
  // The record list stays small in the DOM: only the rows in view exist.
  await page.fill('#search', '');
  assert.ok((await page.locator('#records .rec').count()) < 200);
  await page.screenshot({ path: `${SHOTS}/vmlinux-task_struct.png` });
  await page.close();
});

test(
  'open an object file with DWARF: its records, drawn as the CLI draws them',
  { skip: skip || (spawnSync('gcc', ['--version']).status !== 0 && 'gcc not installed') },
  async () => {
    writeFileSync(
      'test-artifacts/inputs/d.c',
      'struct d { char c; int i:5, j:11; union { long l; char b[3]; } u; short tail; } v;\n',
    );
    assert.equal(
      spawnSync('gcc', ['-g', '-c', '-o', 'test-artifacts/inputs/d.o', 'test-artifacts/inputs/d.c']).status,
      0,
    );
    const page = await open();
    await page.setInputFiles('#choose-files', 'test-artifacts/inputs/d.o');
    await page.waitForFunction(() => /records in d\.o/.test(document.getElementById('count')!.textContent ?? ''));
    await shows(page, 'd');
    await agrees(page, 'test-artifacts/inputs/d.o', 'd');
    // Back to the source: the editor's text is analysed again.
    await page.click('#back-to-source');
    await shows(page, 'list_link');
    await page.close();
  },
);

test('keyboard only: every control reached by Tab, with a visible focus', { skip }, async () => {
  const page = await open();
  await shows(page, 'list_link');
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { id: el.id || el.className, outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
    });
    seen.push(f.id);
    if (f.id === 'search') break;
  }
  for (const id of ['choose-files', 'choose-folder', 'target', 'target2', 'cacheline', 'expand', 'search'])
    assert.ok(seen.includes(id), `Tab never reached #${id}: ${seen.join(', ')}`);
  await page.keyboard.type('seq');
  await page.keyboard.press('Enter');
  await shows(page, 'seq_adjust');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'records');
  await page.screenshot({ path: `${SHOTS}/keyboard-list.png` });
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(
    () =>
      document.querySelector('#records .rec.active')?.getAttribute('data-name') ===
      document.querySelector('#picture g.record')?.getAttribute('data-name'),
  );
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused list shows its focus');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'picture');
  await page.screenshot({ path: `${SHOTS}/keyboard-picture.png` });
  await page.close();
});

test('headers chosen, and a folder: #include "..." resolves through the page\'s file system', { skip }, async () => {
  const dir = 'test-artifacts/inputs/proj';
  mkdirSync(join(dir, 'include/net'), { recursive: true });
  writeFileSync(join(dir, 'include/net/hdr.h'), '#include "types.h"\nstruct hdr { u8 kind; u32 len; u16 flags:5; };\n');
  writeFileSync(
    join(dir, 'include/net/types.h'),
    'typedef unsigned char u8;\ntypedef unsigned short u16;\ntypedef unsigned int u32;\n',
  );
  writeFileSync(join(dir, 'top.h'), '#include <net/hdr.h>\nstruct top { struct hdr h; char name[5]; };\n');
  const page = await open();
  // A folder: its files become includable, nothing is included by itself.
  await page.setInputFiles('#choose-folder', join(dir, 'include'));
  await page.waitForFunction(() => /files available/.test(document.getElementById('input-note')!.textContent ?? ''));
  // Files: a header at the top level is #included into the editor, and its includes resolve.
  await page.setInputFiles('#choose-files', [join(dir, 'top.h')]);
  await page.waitForFunction(() => /^#include "top\.h"/.test(document.querySelector('.cm-content')?.textContent ?? ''));
  await page.waitForSelector('#records .rec[data-name="top"]');
  await page.fill('#search', 'top');
  await page.press('#search', 'Enter');
  await shows(page, 'top');
  assert.equal(await page.textContent('#problems'), '');
  await agrees(page, join(dir, 'top.h'), 'top', '-I', join(dir, 'include'));
  await page.screenshot({ path: `${SHOTS}/files-and-folder.png` });
  await page.close();
});

const headers = findKernelHeaders();
test(
  'a kernel unit (net/ip_vs.h) dropped as one file: time to the first picture',
  { skip: skip || (!headers && 'no kernel headers') },
  async () => {
    const probe = kbuildProbe(headers!, 'probe', '#include <linux/module.h>\n#include <net/ip_vs.h>\n');
    const pp = spawnSync(probe.cc, [...probe.flags, '-E', '-P', probe.file], {
      cwd: probe.cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    assert.equal(pp.status, 0, pp.stderr);
    writeFileSync('test-artifacts/inputs/kunit.c', pp.stdout);
    const page = await open();
    const t0 = Date.now();
    await drop(page, 'test-artifacts/inputs/kunit.c', 'kunit.c');
    await page.waitForFunction(() =>
      /^#include "kunit\.c"/.test(document.querySelector('.cm-content')?.textContent ?? ''),
    );
    await page.waitForFunction(
      () =>
        /\d{3,} records/.test(document.getElementById('count')!.textContent ?? '') &&
        document.body.dataset.busy === 'false',
    );
    const first = Date.now() - t0;
    const count = Number(/^(\d+)/.exec((await page.textContent('#count')) ?? '')![1]);
    console.log(
      `# kernel unit (${(pp.stdout.length / 1e6).toFixed(1)} MB preprocessed, ${count} records): first picture ${first} ms after the drop; ${await page.textContent('#count')}`,
    );
    await page.fill('#search', 'ip_vs_conn');
    await page.press('#search', 'Enter');
    await shows(page, 'ip_vs_conn');
    await agrees(page, 'test-artifacts/inputs/kunit.c', 'ip_vs_conn');
    await page.screenshot({ path: `${SHOTS}/kernel-ip_vs_conn.png` });
    await page.close();
  },
);
