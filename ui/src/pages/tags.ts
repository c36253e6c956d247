import { call, tenantPath, Page } from '../api';
import { grid, time } from '../components';
import { Ctx, PageDef } from '../ctx';
import { h } from '../dom';
import { filterBar, selectFilter, textFilter } from '../filters';
import { pick } from '../url';

type Row = { tag_id: number; entity_type: string; entity_id: string; tag_key: string; tag_value: string; created_by: string; created_at: string };

function render(ctx: Ctx, root: HTMLElement) {
  const page = Number(ctx.q.page) || 1;
  root.append(filterBar(ctx, [textFilter(ctx, 'tag_key', 'Tag key'),
    selectFilter(ctx, 'entity_type', 'Entity type', [['', 'any'], ['resource', 'resource'], ['identity', 'identity']])],
  ['tag_key', 'entity_type']));
  const query = { ...pick(ctx.q, ['tag_key', 'entity_type']), page: String(page), page_size: '50' };
  const msg = h('p', { class: 'hint', role: 'status' });
  root.append(msg);
  const path = (r: Row) => `/entities/${r.entity_type}/${encodeURIComponent(r.entity_id)}/tags/${encodeURIComponent(r.tag_key)}`;
  root.append(grid<Row>({
    id: 'tags', page,
    columns: [
      { key: 'entity_type', label: 'Entity type' },
      { key: 'entity_id', label: 'Entity' },
      { key: 'tag_key', label: 'Key' },
      {
        key: 'tag_value', label: 'Value', render: (r) => ctx.readOnly ? r.tag_value : h('form', {
          class: 'inline',
          onsubmit: (e: Event) => {
            e.preventDefault();
            const input = (e.target as HTMLFormElement).elements.namedItem('v') as HTMLInputElement;
            call(tenantPath(ctx.tenant, path(r)), { method: 'PUT', json: { tag_value: input.value } })
              .then(() => { msg.textContent = `Saved ${r.entity_id} ${r.tag_key}.`; },
                (err) => { input.value = r.tag_value; msg.textContent = `Save failed: ${err.message}`; });
          },
        }, h('input', { name: 'v', value: r.tag_value, maxlength: 500, 'aria-label': `Value of ${r.tag_key}` }), h('button', { type: 'submit' }, 'Save')),
      },
      { key: 'created_by', label: 'Created by' },
      { key: 'created_at', label: 'Created (UTC)', render: (r) => time(r.created_at) },
      {
        key: 'actions', label: '', render: (r) => ctx.readOnly ? '' : h('button', {
          type: 'button', class: 'danger',
          onclick: () => {
            if (!confirm(`Delete tag ${r.tag_key} of ${r.entity_id}?`)) return;
            call(tenantPath(ctx.tenant, path(r)), { method: 'DELETE' }).then(() => ctx.set({}), (err) => { msg.textContent = `Delete failed: ${err.message}`; });
          },
        }, 'Delete'),
      },
    ],
    load: () => call<Page<Row>>(tenantPath(ctx.tenant, '/tags', query), { signal: ctx.signal }),
    onPage: (p) => ctx.set({ page: String(p) }),
  }));
  if (ctx.readOnly) root.prepend(h('div', { class: 'notice warn' }, 'Read-only while the pipeline is running.'));
}

export const tags: PageDef = { path: '/tags', title: 'Tags', render };
