// Panels with loading / empty / error states, bar lists, a trend chart and a server-paged grid.
import { ApiError, Page } from './api';
import { h, replace, s } from './dom';
import { formatAmount, ratio, toUnits } from './money';

export interface PanelOptions {
  title: string;
  id: string;
  wide?: boolean;
  actions?: Node;
}

/** A card that runs `load` and shows its result, "No data" (null) or the error with Retry. */
export function panel(opts: PanelOptions, load: () => Promise<Node | null>): HTMLElement {
  const body = h('div', { class: 'panel-body' });
  const card = h(
    'section',
    { class: `panel${opts.wide ? ' wide' : ''}`, 'data-panel': opts.id },
    h('header', null, h('h2', null, opts.title), opts.actions ?? null),
    body,
  );
  const run = () => {
    card.dataset.state = 'loading';
    replace(body, h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner' }), 'Loading…'));
    load().then(
      (node) => {
        card.dataset.state = node ? 'ready' : 'empty';
        replace(body, node ?? h('p', { class: 'empty' }, 'No data for this view.'));
      },
      (e: unknown) => {
        if ((e as Error)?.name === 'AbortError') return;
        card.dataset.state = 'error';
        replace(body, errorBox(e, run));
      },
    );
  };
  run();
  return card;
}

export function errorBox(e: unknown, retry?: () => void): HTMLElement {
  const msg = e instanceof ApiError ? `${e.message} (${e.code})` : String((e as Error)?.message ?? e);
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', null, 'Failed to load. '),
    msg,
    retry ? h('button', { type: 'button', class: 'link', onclick: retry }, 'Retry') : null,
  );
}

export function notice(text: string, kind: 'info' | 'warn' = 'info'): HTMLElement {
  return h('div', { class: `notice ${kind}`, role: 'note' }, text);
}

export interface Bar {
  label: string;
  amount: string;
  title?: string;
  onclick?: () => void;
}

/** Horizontal bars, widest = largest amount; amounts printed exactly. */
export function barList(bars: Bar[]): HTMLElement | null {
  if (bars.length === 0) return null;
  let max = bars[0].amount;
  for (const b of bars) if (toUnits(b.amount) > toUnits(max)) max = b.amount;
  return h(
    'ol',
    { class: 'bars' },
    bars.map((b) =>
      h(
        'li',
        { class: b.onclick ? 'clickable' : '', title: b.title ?? b.label, onclick: b.onclick },
        h('span', { class: 'bar-label' }, b.label),
        h('span', { class: 'bar-track' },
          h('span', { class: 'bar-fill', style: { width: `${(ratio(b.amount, max) * 100).toFixed(2)}%` } })),
        h('span', { class: 'bar-amount num' }, formatAmount(b.amount)),
      ),
    ),
  );
}

export interface StackPoint {
  label: string;
  parts: { key: string; amount: string }[];
  total: string;
}

const COLORS = ['#2f6fb2', '#e0873a', '#3a9e6f', '#b54a6b', '#7d5fb2', '#8a8a2f', '#2f9ab2', '#b2722f'];
export function colorFor(i: number) {
  return COLORS[i % COLORS.length];
}

/** Stacked columns per time bucket (SVG). Heights are display-only; labels carry the exact text. */
export function stackedColumns(points: StackPoint[], keys: string[]): HTMLElement | null {
  if (points.length === 0) return null;
  let max = points[0].total;
  for (const p of points) if (toUnits(p.total) > toUnits(max)) max = p.total;
  const W = 720, H = 220, left = 8, bottom = 28, top = 10;
  const slot = (W - left) / points.length;
  const bw = Math.max(2, Math.min(48, slot * 0.7));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': 'cost trend' });
  for (let g = 0; g <= 4; g++) {
    const y = top + ((H - top - bottom) * g) / 4;
    svg.appendChild(s('line', { x1: left, x2: W, y1: y, y2: y, class: 'grid' }));
  }
  const step = Math.ceil(points.length / 12);
  points.forEach((p, i) => {
    const x = left + slot * i + (slot - bw) / 2;
    let y = H - bottom;
    const g = s('g', { class: 'col' });
    g.appendChild(s('title', {}, `${p.label}: ${formatAmount(p.total)}\n` +
      p.parts.map((part) => `${part.key}: ${formatAmount(part.amount)}`).join('\n')));
    for (const part of p.parts) {
      const hgt = ratio(part.amount, max) * (H - top - bottom);
      if (hgt <= 0) continue;
      y -= hgt;
      g.appendChild(s('rect', { x, y, width: bw, height: hgt, fill: colorFor(keys.indexOf(part.key)) }));
    }
    svg.appendChild(g);
    if (i % step === 0) {
      svg.appendChild(s('text', { x: x + bw / 2, y: H - 10, class: 'axis', 'text-anchor': 'middle' }, p.label));
    }
  });
  return h('div', { class: 'chart-wrap' },
    h('div', { class: 'chart-max' }, `max ${formatAmount(max)}`),
    svg,
    legend(keys));
}

export function legend(keys: string[]): HTMLElement {
  return h('ul', { class: 'legend' }, keys.map((k, i) =>
    h('li', null, h('span', { class: 'swatch', style: { background: colorFor(i) } }), k)));
}

export interface Column<T> {
  key: string;
  label: string;
  render?: (row: T) => Node | string;
  num?: boolean;
  sortable?: boolean; // the server sorts by this column (sort_by=key)
}

export interface GridOptions<T> {
  id: string;
  columns: Column<T>[];
  load: () => Promise<Page<T>>;
  sort?: { by?: string; order: 'asc' | 'desc' };
  onSort?: (column: string) => void;
  page: number;
  onPage?: (page: number) => void;
  onRow?: (row: T) => void;
  rowKey?: (row: T) => string;
  selected?: string;
}

/** A server-paged table: the page and the sort are the server's (sent in the query). */
export function grid<T>(opts: GridOptions<T>): HTMLElement {
  const wrap = h('div', { class: 'grid', 'data-grid': opts.id });
  const run = () => {
    wrap.dataset.state = 'loading';
    replace(wrap, h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner' }), 'Loading…'));
    opts.load().then(
      (page) => {
        wrap.dataset.state = page.items.length ? 'ready' : 'empty';
        replace(wrap, table(page), pager(page));
      },
      (e) => {
        if ((e as Error)?.name === 'AbortError') return;
        wrap.dataset.state = 'error';
        replace(wrap, errorBox(e, run));
      },
    );
  };
  const table = (page: Page<T>) => {
    const head = h('tr', null, opts.columns.map((c) => {
      if (!c.sortable || !opts.onSort) return h('th', { class: c.num ? 'num' : '' }, c.label);
      const active = opts.sort?.by === c.key;
      const arrow = active ? (opts.sort?.order === 'desc' ? ' ▼' : ' ▲') : '';
      return h('th', { class: `${c.num ? 'num ' : ''}sortable`, 'aria-sort': active ? (opts.sort?.order === 'desc' ? 'descending' : 'ascending') : 'none' },
        h('button', { type: 'button', 'data-sort': c.key, onclick: () => opts.onSort!(c.key) }, c.label + arrow));
    }));
    if (page.items.length === 0) {
      return h('div', { class: 'scroll' }, h('table', null, h('thead', null, head)),
        h('p', { class: 'empty' }, 'No rows match this view.'));
    }
    const rows = page.items.map((row) => {
      const key = opts.rowKey?.(row);
      return h('tr', {
        class: `${opts.onRow ? 'clickable' : ''}${key && key === opts.selected ? ' selected' : ''}`,
        'data-key': key,
        onclick: opts.onRow ? () => opts.onRow!(row) : undefined,
      }, opts.columns.map((c) => {
        const v = c.render ? c.render(row) : cell((row as Record<string, unknown>)[c.key]);
        return h('td', { class: c.num ? 'num' : '', title: typeof v === 'string' && v.length > 20 ? v : undefined }, v);
      }));
    });
    return h('div', { class: 'scroll' }, h('table', null, h('thead', null, head), h('tbody', null, rows)));
  };
  const pager = (page: Page<T>) => {
    const go = (p: number) => () => opts.onPage?.(p);
    return h('div', { class: 'pager' },
      h('span', null, `${page.total.toLocaleString('en-US')} rows · page ${page.pages ? page.page : 0} of ${page.pages}`),
      h('button', { type: 'button', disabled: page.page <= 1, onclick: go(1) }, '« First'),
      h('button', { type: 'button', disabled: page.page <= 1, onclick: go(page.page - 1), 'data-page': 'prev' }, '‹ Prev'),
      h('button', { type: 'button', disabled: page.page >= page.pages, onclick: go(page.page + 1), 'data-page': 'next' }, 'Next ›'),
    );
  };
  run();
  return wrap;
}

/** "2026-05-16T04:19:55Z" -> "2026-05-16 04:19:55Z"; anything else unchanged. */
export function time(v: unknown): string {
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(v)) return cell(v);
  return v.replace('T', ' ');
}

export function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function tagChips(tags: Record<string, string> | undefined): Node {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return document.createTextNode('—');
  return h('span', { class: 'chips' }, entries.map(([k, v]) => h('span', { class: 'chip' }, `${k}=${v}`)));
}

/** A side drawer with a title and a close button; returns its body element. */
export function drawer(title: string, onClose: () => void): { el: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'drawer-body' });
  const el = h('aside', { class: 'drawer', role: 'dialog', 'aria-label': title },
    h('header', null, h('h2', null, title),
      h('button', { type: 'button', class: 'close', 'aria-label': 'Close', onclick: onClose }, '×')),
    body);
  return { el, body };
}

export function kv(pairs: [string, Node | string][]): HTMLElement {
  return h('dl', { class: 'kv' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}
