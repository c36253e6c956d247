import { ApiError, call, tenantPath, Page } from '../api';
import { drawer, errorBox, grid, kv, tagChips, time } from '../components';
import { Ctx, PageDef } from '../ctx';
import { h, replace } from '../dom';
import { chargebackFilters, dateControls, filterBar } from '../filters';
import { formatAmount } from '../money';
import { CHARGEBACK_FILTERS, exportBody, nextSort, pick, sortState } from '../url';

type Row = Record<string, string> & { tags: Record<string, string>; metadata: Record<string, string> };

/** Columns the server sorts /chargebacks by (sort_by). */
const SORTABLE = ['timestamp', 'identity_id', 'product_type', 'resource_id', 'cost_type', 'amount', 'allocation_method'];

function render(ctx: Ctx, root: HTMLElement) {
  const page = Number(ctx.q.page) || 1;
  const sort = sortState(ctx.q, SORTABLE);
  const exp = exportBody(ctx.q);
  const status = h('span', { class: 'export-status', role: 'status' });
  const exportBtn = h('button', {
    type: 'button', class: 'primary', 'data-action': 'export',
    disabled: ctx.readOnly || !exp.body,
    title: ctx.readOnly ? 'Read-only while the pipeline is running' : exp.reason ?? 'Download these rows as CSV',
    onclick: async () => {
      exportBtn.disabled = true;
      status.textContent = 'Exporting…';
      try {
        const res = await call<Response>(tenantPath(ctx.tenant, '/export'), { method: 'POST', json: exp.body, raw: true });
        const blob = await res.blob();
        const a = h('a', {
          href: URL.createObjectURL(blob),
          download: `chargebacks-${ctx.tenant}-${ctx.q.start_date}-${ctx.q.end_date}.csv`,
        });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(a.href), 10000);
        status.textContent = `Exported ${(blob.size / 1024).toFixed(1)} KiB.`;
      } catch (e) {
        status.textContent = `Export failed: ${(e as Error).message}`;
      } finally {
        exportBtn.disabled = false;
      }
    },
  }, 'Export CSV');

  root.append(filterBar(ctx, [...dateControls(ctx), ...chargebackFilters(ctx)], [...CHARGEBACK_FILTERS]));
  root.append(h('div', { class: 'toolbar' }, exportBtn, status, exp.reason ? h('span', { class: 'hint' }, exp.reason) : null));

  const query: Record<string, string> = {
    ...pick(ctx.q, ['start_date', 'end_date', 'timezone', ...CHARGEBACK_FILTERS]),
    page: String(page), page_size: '50',
  };
  if (sort.by) { query.sort_by = sort.by; query.sort_order = sort.order; }
  root.append(grid<Row>({
    id: 'chargebacks',
    columns: [
      { key: 'timestamp', label: 'Time (UTC)', sortable: true, render: (r) => time(r.timestamp) },
      { key: 'identity_id', label: 'Identity', sortable: true },
      { key: 'product_type', label: 'Product type', sortable: true },
      { key: 'resource_id', label: 'Resource', sortable: true },
      { key: 'cost_type', label: 'Cost type', sortable: true },
      { key: 'amount', label: 'Amount', sortable: true, num: true, render: (r) => formatAmount(r.amount) },
      { key: 'allocation_method', label: 'Method', sortable: true },
      { key: 'tags', label: 'Tags', render: (r) => tagChips(r.tags) },
    ],
    page, sort,
    onSort: (c) => ctx.set({ ...nextSort(sort, c), page: null }),
    load: () => call<Page<Row>>(tenantPath(ctx.tenant, '/chargebacks', query), { signal: ctx.signal }),
    onPage: (p) => ctx.set({ page: String(p) }),
    rowKey: (r) => String(r.dimension_id),
    selected: ctx.q.selected,
    onRow: (r) => ctx.set({ selected: String(r.dimension_id) }),
  }));

  if (ctx.q.selected) {
    const d = drawer('Chargeback details', () => ctx.set({ selected: null }));
    root.append(d.el);
    replace(d.body, h('div', { class: 'loading' }, 'Loading…'));
    call<Row>(tenantPath(ctx.tenant, `/chargebacks/${encodeURIComponent(ctx.q.selected)}`), { signal: ctx.signal }).then((r) => {
      replace(d.body, kv([
        ['Dimension', String(r.dimension_id)], ['Identity', r.identity_id], ['Resource', r.resource_id],
        ['Environment', r.env_id || '—'], ['Product type', r.product_type], ['Product category', r.product_category],
        ['Cost type', r.cost_type], ['Allocation method', r.allocation_method],
        ['Allocation detail', r.allocation_detail || '—'], ['Tags', tagChips(r.tags)],
      ]), h('p', { class: 'hint' }, 'Filter by: ',
        h('button', { type: 'button', class: 'link', onclick: () => ctx.set({ identity_id: r.identity_id, selected: null, page: null }) }, 'this identity'), ' · ',
        h('button', { type: 'button', class: 'link', onclick: () => ctx.set({ resource_id: r.resource_id, selected: null, page: null }) }, 'this resource')));
    }, (e) => {
      if (e?.name === 'AbortError') return;
      replace(d.body, e instanceof ApiError && e.status === 404 ? h('p', null, 'Dimension not found.') : errorBox(e));
    });
  }
}

export const chargebacks: PageDef = { path: '/chargebacks', title: 'Chargebacks', dates: true, render };
