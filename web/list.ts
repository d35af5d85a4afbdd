// The record list: a listbox that renders only the rows in view (a vmlinux has 10,000 records), with
// a filter and the keyboard of a listbox (arrows, Page Up/Down, Home/End, Enter).
import type { RecordEntry } from './protocol.js';

const ROW = 24;

export class RecordList {
  private all: readonly RecordEntry[] = [];
  private shown: readonly RecordEntry[] = [];
  private active = -1;
  private readonly spacer: HTMLDivElement;

  constructor(
    private readonly box: HTMLElement,
    private readonly onPick: (name: string) => void,
  ) {
    box.setAttribute('role', 'listbox');
    box.tabIndex = 0;
    this.spacer = document.createElement('div');
    this.spacer.style.position = 'relative';
    box.append(this.spacer);
    box.addEventListener('scroll', () => this.draw());
    box.addEventListener('keydown', (e) => this.key(e));
    box.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (!row) return;
      this.setActive(Number(row.dataset.index));
      this.pick();
    });
  }

  setRecords(records: readonly RecordEntry[], filter: string): void {
    this.all = records;
    this.filter(filter);
  }

  filter(text: string): void {
    const q = text.trim().toLowerCase();
    const name = this.shown[this.active]?.name;
    this.shown = q ? this.all.filter((r) => r.name.toLowerCase().includes(q)) : this.all;
    // Exact and prefix matches first: searching "task_struct" should not start at "blk_task_struct".
    if (q) this.shown = [...this.shown].sort((a, b) => rank(a.name, q) - rank(b.name, q));
    this.active = name === undefined ? -1 : this.shown.findIndex((r) => r.name === name);
    this.spacer.style.height = `${this.shown.length * ROW}px`;
    this.draw();
  }

  get count(): number {
    return this.shown.length;
  }

  /** Marks `name` as the chosen record (without telling onPick), scrolling it into view. */
  select(name: string): void {
    const i = this.shown.findIndex((r) => r.name === name);
    if (i >= 0) this.setActive(i);
  }

  first(): string | undefined {
    return this.shown[0]?.name;
  }

  private setActive(i: number): void {
    this.active = Math.max(0, Math.min(this.shown.length - 1, i));
    const top = this.active * ROW;
    if (top < this.box.scrollTop) this.box.scrollTop = top;
    else if (top + ROW > this.box.scrollTop + this.box.clientHeight)
      this.box.scrollTop = top + ROW - this.box.clientHeight;
    this.draw();
  }

  private pick(): void {
    const r = this.shown[this.active];
    if (r) this.onPick(r.name);
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.box.clientHeight / ROW) - 1);
    const moves: { [k: string]: number } = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) this.setActive(this.active + moves[e.key]!);
    else if (e.key === 'Home') this.setActive(0);
    else if (e.key === 'End') this.setActive(this.shown.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') this.pick();
    else return;
    e.preventDefault();
    if (e.key !== 'Enter' && e.key !== ' ') this.pick();
  }

  private draw(): void {
    const first = Math.max(0, Math.floor(this.box.scrollTop / ROW) - 5);
    const last = Math.min(this.shown.length, first + Math.ceil(this.box.clientHeight / ROW) + 10);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const r = this.shown[i]!;
      const el = document.createElement('div');
      el.className = 'rec' + (i === this.active ? ' active' : '') + (r.main ? '' : ' included');
      el.id = `rec-${i}`;
      el.dataset.index = String(i);
      el.dataset.name = r.name;
      el.setAttribute('role', 'option');
      el.setAttribute('aria-selected', String(i === this.active));
      el.style.top = `${i * ROW}px`;
      el.textContent = `${r.kind} ${r.name}`;
      const size = document.createElement('span');
      size.className = 'size';
      size.textContent = String(r.size);
      el.append(size);
      rows.push(el);
    }
    this.spacer.replaceChildren(...rows);
    if (this.active >= 0) this.box.setAttribute('aria-activedescendant', `rec-${this.active}`);
    else this.box.removeAttribute('aria-activedescendant');
  }
}

function rank(name: string, q: string): number {
  const n = name.toLowerCase();
  return n === q ? 0 : n.startsWith(q) ? 1 : 2;
}
