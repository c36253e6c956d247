import { call, tenantPath, Page } from '../api';
import { barList, grid, notice, panel, stackedColumns, StackPoint } from '../components';
import { Ctx, PageDef } from '../ctx';
import { h } from '../dom';
import { chargebackFilters, dateControls, filterBar } from '../filters';
import { formatAmount, rankTotals, sumAmounts } from '../money';
import { CHARGEBACK_FILTERS, daysBetween, pick } from '../url';

export interface Aggregate {
  buckets: { dimensions: Record<string, string>; time_bucket: string; total_amount: string;
    usage_amount: string; shared_amount: string; row_count: number }[];
  total_amount: string;
  usage_amount: string;
  shared_amount: string;
  total_rows: number;
}

export function aggregateQuery(ctx: Ctx, groupBy: string[], bucket?: string): string {
  const q: Record<string, string> = {
    ...pick(ctx.q, ['start_date', 'end_date', 'timezone', ...CHARGEBACK_FILTERS]),
  };
  const p = new URLSearchParams(q);
  for (const g of groupBy) p.append('group_by', g);
  if (bucket) p.set('time_bucket', bucket);
  return `/api/v1/tenants/${encodeURIComponent(ctx.tenant)}/chargebacks/aggregate?${p}`;
}

const BREAKDOWNS: [string, string, string | null][] = [
  ['identity_id', 'Cost by identity', 'identity_id'],
  ['resource_id', 'Cost by resource', 'resource_id'],
  ['product_type', 'Cost by product type', 'product_type'],
  ['environment_id', 'Cost by environment', null],
  ['allocation_method', 'Cost by allocation method', null],
];

function render(ctx: Ctx, root: HTMLElement) {
  const bucket = ['day', 'week', 'month'].includes(ctx.q.bucket) ? ctx.q.bucket : 'day';
  const agg = (groupBy: string[], b = 'month') =>
    call<Aggregate>(aggregateQuery(ctx, groupBy, b), { signal: ctx.signal });

  root.append(filterBar(ctx, [...dateControls(ctx), ...chargebackFilters(ctx)], [...CHARGEBACK_FILTERS]));

  const trend = agg(['cost_type'], bucket);
  const stats = h('div', { class: 'stats' });
  const stat = (label: string, id: string, value: string) =>
    h('div', { class: 'stat', 'data-stat': id }, h('span', null, label), h('strong', { class: 'num' }, formatAmount(value)));
  stats.append(h('div', { class: 'stat loading' }, 'Loading totals…'));
  trend.then((a) => {
    stats.textContent = '';
    stats.append(stat('Total cost', 'total', a.total_amount), stat('Usage', 'usage', a.usage_amount),
      stat('Shared', 'shared', a.shared_amount),
      h('div', { class: 'stat', 'data-stat': 'rows' }, h('span', null, 'Chargeback rows'),
        h('strong', { class: 'num' }, a.total_rows.toLocaleString('en-US'))));
  }, (e) => {
    if (e?.name === 'AbortError') return;
    stats.textContent = '';
    stats.append(h('div', { class: 'stat error', role: 'alert' }, `Totals failed: ${e.message}`));
  });
  root.append(stats);

  const panels = h('div', { class: 'panels' });
  root.append(panels);

  const bucketSel = h('select', {
    name: 'bucket', 'aria-label': 'Time bucket',
    onchange: (e: Event) => ctx.set({ bucket: (e.target as HTMLSelectElement).value }),
  }, ['day', 'week', 'month'].map((b) => h('option', { value: b, selected: b === bucket }, b)));
  panels.append(panel({ title: 'Cost trend', id: 'trend', wide: true, actions: bucketSel }, async () => {
    const a = await trend;
    const byTime = new Map<string, { key: string; amount: string }[]>();
    for (const b of a.buckets) {
      const list = byTime.get(b.time_bucket) ?? [];
      list.push({ key: b.dimensions.cost_type, amount: b.total_amount });
      byTime.set(b.time_bucket, list);
    }
    const keys = [...new Set(a.buckets.map((b) => b.dimensions.cost_type))].sort();
    const points: StackPoint[] = [...byTime.entries()].map(([label, parts]) => ({
      label, parts, total: sumAmounts(parts.map((p) => p.amount)),
    }));
    return stackedColumns(points, keys);
  }));

  for (const [dim, title, filter] of BREAKDOWNS) {
    panels.append(panel({ title, id: `by-${dim}` }, async () => {
      const a = await agg([dim]);
      const ranked = rankTotals(a.buckets.map((b) => ({ key: b.dimensions[dim] || '(none)', amount: b.total_amount })), 10);
      return barList(ranked.map((r) => ({
        label: r.key, amount: r.amount,
        onclick: filter && !r.key.startsWith('Other (') ? () => ctx.set({ [filter]: r.key, page: null }) : undefined,
      })));
    }));
  }

  // Cost type comes from the trend's answer (already grouped by cost type): one query fewer.
  panels.append(panel({ title: 'Cost by cost type', id: 'by-cost_type' }, async () => {
    const a = await trend;
    const ranked = rankTotals(a.buckets.map((b) => ({ key: b.dimensions.cost_type, amount: b.total_amount })), 10);
    return barList(ranked.map((r) => ({ label: r.key, amount: r.amount, onclick: () => ctx.set({ cost_type: r.key, page: null }) })));
  }));

  panels.append(tagPivot(ctx, agg));
  panels.append(availability(ctx));
  panels.append(inventory(ctx));

  const issuesQuery = (page: number) => tenantPath(ctx.tenant, '/chargebacks/allocation-issues', {
    ...pick(ctx.q, ['start_date', 'end_date', 'timezone', 'identity_id', 'product_type', 'resource_id']),
    page: String(page), page_size: '10',
  });
  const issuesSection = h('section', { class: 'panel wide', 'data-panel': 'allocation-issues' },
    h('header', null, h('h2', null, 'Allocation issues')));
  const issuesPage = Number(ctx.q.issues_page) || 1;
  issuesSection.append(grid<Record<string, string>>({
    id: 'allocation-issues',
    columns: [
      { key: 'resource_id', label: 'Resource' }, { key: 'product_type', label: 'Product type' },
      { key: 'identity_id', label: 'Identity' }, { key: 'allocation_detail', label: 'Detail' },
      { key: 'row_count', label: 'Rows', num: true },
      { key: 'usage_cost', label: 'Usage', num: true, render: (r) => formatAmount(r.usage_cost) },
      { key: 'shared_cost', label: 'Shared', num: true, render: (r) => formatAmount(r.shared_cost) },
      { key: 'total_cost', label: 'Total', num: true, render: (r) => formatAmount(r.total_cost) },
    ],
    page: issuesPage,
    load: () => call<Page<Record<string, string>>>(issuesQuery(issuesPage), { signal: ctx.signal }),
    onPage: (p) => ctx.set({ issues_page: String(p) }),
  }));
  panels.append(issuesSection);
}

function tagPivot(ctx: Ctx, agg: (g: string[], b?: string) => Promise<Aggregate>): HTMLElement {
  const body = h('div');
  const section = h('section', { class: 'panel', 'data-panel': 'tag-pivot' },
    h('header', null, h('h2', null, 'Cost by tag')), body);
  call<{ keys: string[] }>(tenantPath(ctx.tenant, '/tags/keys'), { signal: ctx.signal }).then((r) => {
    if (r.keys.length === 0) {
      body.append(notice('No tags yet. Tag resources or identities (Resources, Identities pages) to pivot costs by owner, team, …'));
      return;
    }
    const key = r.keys.includes(ctx.q.tag_pivot) ? ctx.q.tag_pivot : r.keys.includes('owner') ? 'owner' : r.keys[0];
    const sel = h('select', {
      name: 'tag_pivot', 'aria-label': 'Tag key',
      onchange: (e: Event) => ctx.set({ tag_pivot: (e.target as HTMLSelectElement).value }),
    }, r.keys.map((k) => h('option', { value: k, selected: k === key }, k)));
    section.querySelector('header')!.append(sel);
    body.append(panel({ title: `by ${key}`, id: 'tag-pivot-bars' }, async () => {
      const a = await agg([`tag:${key}`]);
      const ranked = rankTotals(a.buckets.map((b) => ({ key: b.dimensions[`tag:${key}`], amount: b.total_amount })), 10);
      return barList(ranked.map((x) => ({
        label: x.key, amount: x.amount,
        onclick: x.key !== 'UNTAGGED' && !x.key.startsWith('Other (')
          ? () => ctx.set({ tag_key: key, tag_value: x.key, page: null }) : undefined,
      })));
    }));
  }, (e) => {
    if (e?.name !== 'AbortError') body.append(h('div', { class: 'error', role: 'alert' }, e.message));
  });
  return section;
}

function availability(ctx: Ctx): HTMLElement {
  return panel({ title: 'Data availability', id: 'availability' }, async () => {
    const r = await call<{ dates: string[] }>(tenantPath(ctx.tenant, '/chargebacks/dates'), { signal: ctx.signal });
    const have = new Set(r.dates);
    const days = daysBetween(ctx.q.start_date, ctx.q.end_date);
    const missing = days.filter((d) => !have.has(d));
    return h('div', null,
      h('p', null, `${days.length - missing.length} of ${days.length} days in the range have chargebacks (UTC days)` +
        (r.dates.length ? `; data from ${r.dates[r.dates.length - 1]} to ${r.dates[0]}.` : '; no data yet.')),
      h('div', { class: 'days' }, days.map((d) => h('span', { class: have.has(d) ? 'day on' : 'day', title: `${d}${have.has(d) ? '' : ' (no data)'}` }))));
  });
}

function inventory(ctx: Ctx): HTMLElement {
  type Counts = Record<string, { total: number; active: number; deleted: number }>;
  return panel({ title: 'Inventory', id: 'inventory' }, async () => {
    const r = await call<{ resource_counts: Counts; identity_counts: Counts }>(
      tenantPath(ctx.tenant, '/inventory/summary'), { signal: ctx.signal });
    const rows = (title: string, c: Counts) => Object.entries(c).map(([t, n]) =>
      h('tr', null, h('td', null, title), h('td', null, t), h('td', { class: 'num' }, n.active), h('td', { class: 'num' }, n.deleted)));
    const all = [...rows('resource', r.resource_counts), ...rows('identity', r.identity_counts)];
    if (all.length === 0) return null;
    return h('table', { class: 'compact' },
      h('thead', null, h('tr', null, h('th', null, 'Kind'), h('th', null, 'Type'), h('th', { class: 'num' }, 'Active'), h('th', { class: 'num' }, 'Deleted'))),
      h('tbody', null, all));
  });
}

export const dashboard: PageDef = { path: '/dashboard', title: 'Dashboard', dates: true, render };
