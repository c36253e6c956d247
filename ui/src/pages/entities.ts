import { call, tenantPath, Page } from '../api';
import { cell, drawer, errorBox, grid, kv, notice, time } from '../components';
import { Ctx, PageDef } from '../ctx';
import { h, replace } from '../dom';
import { filterBar, selectFilter, textFilter } from '../filters';
import { nextSort, pick, sortState } from '../url';

interface Tag { tag_key: string; tag_value: string; created_by: string }

/** The tags of one entity with add and delete (hidden while the pipeline runs). */
export function tagEditor(ctx: Ctx, entityType: 'resource' | 'identity', id: string): HTMLElement {
  const box = h('div', { class: 'tag-editor', 'data-entity': `${entityType}/${id}` });
  const base = `/entities/${entityType}/${encodeURIComponent(id)}/tags`;
  const msg = h('p', { class: 'hint', role: 'status' });
  const load = () => {
    call<Tag[]>(tenantPath(ctx.tenant, base), { signal: ctx.signal }).then((tags) => {
      const chips = h('ul', { class: 'chips' }, tags.length === 0 ? h('li', { class: 'hint' }, 'No tags.') : null,
        tags.map((t) => h('li', { class: 'chip' }, `${t.tag_key}=${t.tag_value}`,
          ctx.readOnly ? null : h('button', {
            type: 'button', class: 'chip-x', 'aria-label': `Delete tag ${t.tag_key}`,
            onclick: () => call(tenantPath(ctx.tenant, `${base}/${encodeURIComponent(t.tag_key)}`), { method: 'DELETE' })
              .then(load, (e) => { msg.textContent = `Delete failed: ${e.message}`; }),
          }, '×'))));
      const key = h('input', { name: 'new_tag_key', placeholder: 'key', maxlength: 100, required: true });
      const value = h('input', { name: 'new_tag_value', placeholder: 'value', maxlength: 500 });
      const form = ctx.readOnly ? notice('Read-only while the pipeline is running.') : h('form', {
        class: 'inline',
        onsubmit: (e: Event) => {
          e.preventDefault();
          call(tenantPath(ctx.tenant, base), { method: 'POST', json: { tag_key: key.value.trim(), tag_value: value.value, created_by: 'ui' } })
            .then(() => { msg.textContent = 'Tag added.'; load(); }, (err) => { msg.textContent = `Add failed: ${err.message}`; });
        },
      }, key, value, h('button', { type: 'submit' }, 'Add tag'));
      replace(box, h('h3', null, 'Tags'), chips, form, msg);
    }, (e) => { if (e?.name !== 'AbortError') replace(box, errorBox(e, load)); });
  };
  load();
  return box;
}

function entityPage(kind: 'resources' | 'identities'): PageDef {
  const single = kind === 'resources' ? 'resource' : 'identity';
  const idKey = `${single}_id`;
  const typeKey = `${single}_type`;
  const sortable = kind === 'resources'
    ? ['resource_id', 'resource_type', 'display_name', 'status', 'created_at', 'deleted_at', 'last_seen_at']
    : ['identity_id', 'identity_type', 'display_name', 'created_at', 'deleted_at', 'last_seen_at'];
  function render(ctx: Ctx, root: HTMLElement) {
    const page = Number(ctx.q.page) || 1;
    const sort = sortState(ctx.q, sortable);
    const statusOptions: [string, string][] = kind === 'resources'
      ? [['', 'any'], ['active', 'active'], ['deleted', 'deleted']]
      : [['', 'any'], ['active', 'active'], ['deleted', 'deleted']];
    root.append(filterBar(ctx, [textFilter(ctx, 'search', 'Search'), textFilter(ctx, typeKey, 'Type'),
      selectFilter(ctx, 'status', 'Status', statusOptions), textFilter(ctx, 'tag_key', 'Tag key'), textFilter(ctx, 'tag_value', 'Tag value')],
    ['search', typeKey, 'status', 'tag_key', 'tag_value']));
    const query: Record<string, string> = {
      ...pick(ctx.q, ['search', typeKey, 'status', 'tag_key', 'tag_value']), page: String(page), page_size: '50',
    };
    if (sort.by) { query.sort_by = sort.by; query.sort_order = sort.order; }
    type Row = Record<string, string>;
    const cols = [
      { key: idKey, label: 'ID', sortable: true },
      { key: typeKey, label: 'Type', sortable: true },
      { key: 'display_name', label: 'Display name', sortable: true },
      ...(kind === 'resources' ? [{ key: 'status', label: 'Status', sortable: true }, { key: 'parent_id', label: 'Parent' }] : []),
      { key: 'created_at', label: 'Created (UTC)', sortable: true, render: (r: Row) => time(r.created_at) },
      { key: 'deleted_at', label: 'Deleted (UTC)', sortable: true, render: (r: Row) => time(r.deleted_at) },
    ];
    root.append(grid<Row>({
      id: kind, columns: cols, page, sort,
      onSort: (c) => ctx.set({ ...nextSort(sort, c), page: null }),
      load: () => call<Page<Row>>(tenantPath(ctx.tenant, `/${kind}`, query), { signal: ctx.signal }),
      onPage: (p) => ctx.set({ page: String(p) }),
      rowKey: (r) => r[idKey], selected: ctx.q.selected,
      onRow: (r) => ctx.set({ selected: r[idKey] }),
    }));
    if (ctx.q.selected) {
      const id = ctx.q.selected;
      const d = drawer(kind === 'resources' ? 'Resource details' : 'Identity details', () => ctx.set({ selected: null }));
      root.append(d.el);
      call<Page<Row>>(tenantPath(ctx.tenant, `/${kind}`, { search: id, page_size: '50' }), { signal: ctx.signal }).then((p) => {
        const r = p.items.find((x) => x[idKey] === id);
        if (!r) { replace(d.body, h('p', null, `No ${single} ${id}.`)); return; }
        const pairs: [string, string | Node][] = Object.entries(r)
          .filter(([k]) => !['ecosystem', 'tenant_id', 'metadata'].includes(k)).map(([k, v]) => [k.replace(/_/g, ' '), cell(v)]);
        pairs.push(['metadata', h('pre', null, JSON.stringify(r.metadata ?? {}, null, 2))]);
        replace(d.body, kv(pairs), tagEditor(ctx, single, id),
          h('button', { type: 'button', class: 'link', onclick: () => ctx.go('/chargebacks', { [idKey]: id }) }, `Chargebacks of this ${single} →`));
      }, (e) => { if (e?.name !== 'AbortError') replace(d.body, errorBox(e)); });
    }
  }
  return { path: `/${kind}`, title: kind === 'resources' ? 'Resources' : 'Identities', render };
}

export const resources = entityPage('resources');
export const identities = entityPage('identities');
