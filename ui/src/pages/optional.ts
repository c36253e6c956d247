// Topic attribution and FOCUS export: pages for features whose routes the engine may not have
// (feature.ts checks /openapi.json first). The cost explorer is in explorer.ts.
import { call, Page, tenantPath } from '../api';
import { barList, errorBox, grid, panel, time } from '../components';
import { Ctx, PageDef } from '../ctx';
import { h, replace } from '../dom';
import { dateControls, filterBar, textFilter } from '../filters';
import { formatAmount, rankTotals } from '../money';
import { pick, previousMonth, todayIn } from '../url';
import { gated } from './feature';

// ---------------------------------------------------------------- topic attribution

/** Filters both /topic-attributions and its aggregate take (topic_name: a substring). */
const TOPIC_FILTERS = ['cluster_resource_id', 'topic_name', 'product_type'] as const;
const DATES = ['start_date', 'end_date', 'timezone'] as const;

interface TopicAggregate {
  buckets: { dimensions: Record<string, string>; time_bucket: string; total_amount: string; row_count: number }[];
  total_amount: string;
  total_rows: number;
}

type TopicRow = Record<string, string>;

function renderTopics(ctx: Ctx, root: HTMLElement) {
  gated({ marker: '/topic-attributions', absent: 'Topic attribution is not enabled on this engine: it has no topic-attribution routes yet.' }, ctx, root, (body) => {
    body.append(filterBar(ctx, [...dateControls(ctx), textFilter(ctx, 'cluster_resource_id', 'Cluster'),
      textFilter(ctx, 'topic_name', 'Topic contains'), textFilter(ctx, 'product_type', 'Product type')], [...TOPIC_FILTERS]));
    const base = pick(ctx.q, [...DATES, ...TOPIC_FILTERS]);
    const aggregate = (groupBy: string) => call<TopicAggregate>(tenantPath(ctx.tenant, '/topic-attributions/aggregate',
      { ...base, group_by: groupBy, time_bucket: 'month' }), { signal: ctx.signal });
    const byTopic = aggregate('topic_name');
    const stats = h('div', { class: 'stats' }, h('div', { class: 'stat loading' }, 'Loading totals…'));
    byTopic.then((a) => replace(stats,
      h('div', { class: 'stat', 'data-stat': 'topic-total' }, h('span', null, 'Attributed cost'), h('strong', { class: 'num' }, formatAmount(a.total_amount))),
      h('div', { class: 'stat', 'data-stat': 'topic-rows' }, h('span', null, 'Attribution rows'), h('strong', { class: 'num' }, a.total_rows.toLocaleString('en-US')))),
    (e) => { if (e?.name !== 'AbortError') replace(stats, errorBox(e)); });
    body.append(stats);
    const bars = (a: TopicAggregate, key: string, onclick?: (v: string) => void) => barList(rankTotals(
      a.buckets.map((b) => ({ key: b.dimensions[key] ?? '', amount: b.total_amount })), 10).map((r) => ({
      label: r.key || '(none)', amount: r.amount,
      onclick: onclick && !/^Other \(\d+\)$/.test(r.key) ? () => onclick(r.key) : undefined,
    })));
    const panels = h('div', { class: 'panels' },
      panel({ title: 'Cost by topic', id: 'by-topic' }, async () => bars(await byTopic, 'topic_name', (v) => ctx.set({ topic_name: v, page: null }))),
      panel({ title: 'Cost by cluster', id: 'by-cluster' }, async () =>
        bars(await aggregate('cluster_resource_id'), 'cluster_resource_id', (v) => ctx.set({ cluster_resource_id: v, page: null }))),
      panel({ title: 'Cost by attribution method', id: 'by-method' }, async () => bars(await aggregate('attribution_method'), 'attribution_method')));
    body.append(panels);
    const page = Number(ctx.q.page) || 1;
    body.append(grid<TopicRow>({
      id: 'topic-attributions',
      columns: [
        { key: 'timestamp', label: 'Time (UTC)', render: (r) => time(r.timestamp) },
        { key: 'env_id', label: 'Environment' },
        { key: 'cluster_resource_id', label: 'Cluster' },
        { key: 'topic_name', label: 'Topic' },
        { key: 'product_type', label: 'Product type' },
        { key: 'attribution_method', label: 'Method' },
        { key: 'amount', label: 'Amount', num: true, render: (r) => formatAmount(r.amount) },
      ],
      page,
      load: () => call<Page<TopicRow>>(tenantPath(ctx.tenant, '/topic-attributions', { ...base, page: String(page), page_size: '50' }), { signal: ctx.signal }),
      onPage: (p) => ctx.set({ page: String(p) }),
    }));
  });
}

export const topics: PageDef = { path: '/topic-attributions', title: 'Topic attribution', dates: true, render: renderTopics };

// ---------------------------------------------------------------- FOCUS export

interface FocusFile { name: string; media_type: string; size_bytes: number; sha256: string }
export interface FocusJob {
  id: string;
  tenant: string;
  billing_period: string;
  gzip: boolean;
  status: 'running' | 'ready' | 'failed' | string;
  created_at: string;
  finished_at: string | null;
  error: string | null;
  rows?: number;
  conforming?: boolean;
  seconds?: number;
  files?: FocusFile[];
}

async function download(ctx: Ctx, job: FocusJob, f: FocusFile, status: HTMLElement) {
  status.textContent = `Downloading ${f.name}…`;
  try {
    const res = await call<Response>(tenantPath(ctx.tenant,
      `/focus/exports/${encodeURIComponent(job.id)}/files/${encodeURIComponent(f.name)}`), { raw: true });
    const blob = await res.blob();
    const a = h('a', { href: URL.createObjectURL(blob), download: f.name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    status.textContent = `Downloaded ${f.name}.`;
  } catch (e) {
    status.textContent = `Download failed: ${(e as Error).message}`;
  }
}

function renderFocus(ctx: Ctx, root: HTMLElement) {
  gated({ marker: '/focus', absent: 'FOCUS export is not available on this engine.' }, ctx, root, (body) => {
    const status = h('span', { class: 'export-status', role: 'status' });
    const period = h('input', { type: 'month', name: 'billing_period', required: true, value: previousMonth(todayIn('UTC')) });
    const gzip = h('input', { type: 'checkbox', name: 'gzip' });
    const start = h('button', { type: 'submit', class: 'primary', 'data-action': 'focus-export', disabled: ctx.readOnly }, 'Start export');
    body.append(h('form', {
      class: 'filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        start.disabled = true;
        status.textContent = 'Starting…';
        call<FocusJob>(tenantPath(ctx.tenant, '/focus/exports'), { method: 'POST', json: { billing_period: period.value, gzip: gzip.checked } })
          .then((j) => { status.textContent = `Export ${j.id} started.`; list.reload(); },
            (err) => { status.textContent = `Could not start: ${err.message}`; })
          .finally(() => { start.disabled = ctx.readOnly; });
      },
    }, h('label', null, 'Billing period', period), h('label', { class: 'check' }, h('span', null, 'gzip'), gzip), start, status));
    const list = exportList(ctx);
    body.append(list.el);
  });
}

function exportList(ctx: Ctx): { el: HTMLElement; reload: () => void } {
  const box = h('div');
  const msg = h('p', { class: 'hint', role: 'status' });
  let timer = 0;
  const reload = () => {
    clearTimeout(timer);
    replace(box, panel({ title: 'FOCUS exports', id: 'focus-exports', wide: true }, async () => {
      const r = await call<{ exports: FocusJob[]; retention_days: number }>(tenantPath(ctx.tenant, '/focus/exports'), { signal: ctx.signal });
      const jobs = r.exports ?? [];
      // While one runs, look again every 3 s (stops when the page is left).
      if (jobs.some((j) => j.status === 'running')) timer = window.setTimeout(() => { if (!ctx.signal.aborted) reload(); }, 3000);
      if (jobs.length === 0) {
        return h('div', { 'data-exports': '0' }, h('p', { class: 'empty' }, 'No FOCUS exports yet: start one above.'),
          h('p', { class: 'hint' }, `Finished exports are kept ${r.retention_days} days.`));
      }
      const files = (j: FocusJob) => (j.files ?? []).length === 0 ? '—' : h('ul', { class: 'files' }, (j.files ?? []).map((f) => h('li', null,
        h('button', { type: 'button', class: 'link', 'data-file': f.name, onclick: () => download(ctx, j, f, msg) }, f.name),
        h('span', { class: 'hint' }, ` ${(f.size_bytes / 1024).toFixed(1)} KiB`))));
      const row = (j: FocusJob) => h('tr', { 'data-export': j.id, 'data-status': j.status },
        h('td', null, j.id), h('td', null, j.billing_period),
        h('td', null, j.status, j.error ? h('div', { class: 'error-text' }, j.error) : null),
        h('td', null, time(j.created_at)), h('td', null, time(j.finished_at)),
        h('td', { class: 'num' }, j.rows === undefined ? '—' : j.rows.toLocaleString('en-US')),
        h('td', null, j.conforming === undefined ? '—' : j.conforming ? 'yes' : 'no'),
        h('td', null, files(j)));
      const head = ['Export', 'Billing period', 'Status', 'Created (UTC)', 'Finished (UTC)', 'Rows', 'Conforming', 'Files'];
      return h('div', { 'data-exports': String(jobs.length) },
        h('div', { class: 'scroll' }, h('table', null,
          h('thead', null, h('tr', null, head.map((t) => h('th', { class: t === 'Rows' ? 'num' : '' }, t)))),
          h('tbody', null, jobs.map(row)))),
        msg, h('p', { class: 'hint' }, `Finished exports are kept ${r.retention_days} days.`));
    }));
  };
  reload();
  return { el: box, reload };
}

export const focus: PageDef = { path: '/focus', title: 'FOCUS export', render: renderFocus };
