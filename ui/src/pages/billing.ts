import { call, tenantPath, Page } from '../api';
import { grid, time } from '../components';
import { Ctx, PageDef } from '../ctx';
import { dateControls, filterBar, textFilter } from '../filters';
import { formatAmount } from '../money';
import { pick } from '../url';

function render(ctx: Ctx, root: HTMLElement) {
  const page = Number(ctx.q.page) || 1;
  root.append(filterBar(ctx, [...dateControls(ctx), textFilter(ctx, 'product_type', 'Product type'),
    textFilter(ctx, 'resource_id', 'Resource')], ['product_type', 'resource_id']));
  const query = { ...pick(ctx.q, ['start_date', 'end_date', 'timezone', 'product_type', 'resource_id']), page: String(page), page_size: '50' };
  type Row = Record<string, string> & { metadata: Record<string, string> };
  root.append(grid<Row>({
    id: 'billing',
    columns: [
      { key: 'timestamp', label: 'Time (UTC)', render: (r) => time(r.timestamp) },
      { key: 'env', label: 'Environment', render: (r) => r.metadata?.env_id ?? '—' },
      { key: 'resource_id', label: 'Resource' },
      { key: 'product_category', label: 'Category' },
      { key: 'product_type', label: 'Product type' },
      { key: 'quantity', label: 'Quantity', num: true },
      { key: 'unit_price', label: 'Unit price', num: true },
      { key: 'total_cost', label: 'Total', num: true, render: (r) => formatAmount(r.total_cost) },
      { key: 'currency', label: 'Currency' },
      { key: 'granularity', label: 'Granularity' },
    ],
    page,
    load: () => call<Page<Row>>(tenantPath(ctx.tenant, '/billing', query), { signal: ctx.signal }),
    onPage: (p) => ctx.set({ page: String(p) }),
  }));
}

export const billing: PageDef = { path: '/billing', title: 'Billing', dates: true, render };
