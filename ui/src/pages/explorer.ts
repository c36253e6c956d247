// Cost explorer: GET /graph around a focus. The focus node (the tenant when there is none) with
// its cost, the nodes around it sorted by cost with their relationship; a row drills down
// (focus=<id>) or lists a group's members (expand=…); a breadcrumb of the focus's parents back
// to the root; a search box (graph/search) to jump to any entity; the focus's daily cost
// (graph/timeline). Focus, expand, depth, search and the dates are in the URL.
import { call, tenantPath } from '../api';
import { cell, kv, panel, stackedColumns, tagChips, time } from '../components';
import { Ctx, PageDef } from '../ctx';
import { h, replace } from '../dom';
import { dateControls, filterBar, selectFilter, textFilter } from '../filters';
import { ancestors, Crumb, exactHit, explorerView, GraphAnswer, GraphNode, isGroup, Row, SearchHit } from '../graph';
import { formatAmount, ratio, toUnits } from '../money';
import { pick } from '../url';
import { gated, viewLink } from './feature';

const DATES = ['start_date', 'end_date', 'timezone'] as const;
const EXPAND_WORDS: Record<string, string> = {
  topics: 'topics', identities: 'identities', resources: 'resources', clusters: 'resources charged',
};

function amount(text: string | null | undefined, attrs: Record<string, unknown> = {}): HTMLElement {
  return h('span', { class: 'num', 'data-amount': text ?? '', ...attrs }, formatAmount(text));
}

function drill(ctx: Ctx, id: string, text: string | Node, attrs: Record<string, unknown> = {}) {
  return viewLink(ctx, { focus: id, expand: null, search: null }, text, { 'data-focus-link': id, ...attrs });
}

function crossRefs(n: GraphNode): Node | string {
  const refs = n.cross_references ?? [];
  if (refs.length === 0) return '—';
  return h('span', { class: 'chips' }, refs.map((r) => h('span', {
    class: 'chip',
    title: r.items.map((i) => `${i.display_name || i.id}: ${formatAmount(i.cost)}`).join('\n'),
  }, `${r.total_count} ${r.resource_type}`)));
}

function nameCell(ctx: Ctx, row: Row): Node {
  const n = row.node;
  const label = n.display_name || n.id;
  const sub = n.display_name && n.display_name !== n.id && !isGroup(n) ? h('div', { class: 'sub' }, n.id) : null;
  if (row.action.kind === 'focus') return h('div', null, drill(ctx, n.id, label), sub);
  if (row.action.kind === 'expand') {
    return h('div', null, viewLink(ctx, { expand: row.action.expand }, label, { 'data-expand-link': row.action.expand }),
      h('div', { class: 'sub' }, 'show them all'));
  }
  return h('div', null, label, sub);
}

function rowsTable(ctx: Ctx, focus: GraphNode, rows: Row[]): HTMLElement {
  if (rows.length === 0) {
    return h('p', { class: 'empty', 'data-rows': '0' },
      focus.resource_type === 'tenant' ? 'This tenant has no environments.' : 'Nothing below or charged to this entity.');
  }
  let max = '0';
  for (const r of rows) if (toUnits(r.node.cost) > toUnits(max)) max = r.node.cost;
  const refs = rows.some((r) => (r.node.cross_references ?? []).length > 0);
  return h('div', { class: 'scroll' }, h('table', { class: 'explorer-rows', 'data-rows': String(rows.length) },
    h('thead', null, h('tr', null,
      h('th', null, 'Name'), h('th', null, 'Type'), h('th', null, 'Relationship'),
      h('th', { class: 'num' }, 'Cost'), h('th', { class: 'share' }, ''),
      h('th', { class: 'num' }, 'Members'), refs ? h('th', null, 'Also charged to') : null, h('th', null, 'Status'))),
    h('tbody', null, rows.map((r) => {
      const n = r.node;
      return h('tr', { 'data-node-row': n.id, 'data-type': n.resource_type },
        h('td', { class: 'name' }, nameCell(ctx, r)),
        h('td', null, n.resource_type),
        h('td', { 'data-relationship': '' }, r.relationship),
        h('td', { class: 'num', 'data-cost': '' }, amount(n.cost)),
        h('td', { class: 'share' }, h('span', { class: 'bar-track' },
          h('span', { class: 'bar-fill', style: { width: `${(ratio(n.cost, max) * 100).toFixed(2)}%` } }))),
        h('td', { class: 'num' }, isGroup(n) ? [String(n.child_count), ' · ', amount(n.child_total_cost ?? null)] : '—'),
        refs ? h('td', null, crossRefs(n)) : null,
        h('td', null, n.status === 'deleted' ? h('span', { class: 'chip deleted' }, 'deleted') : cell(n.status)));
    }))));
}

function focusCard(ctx: Ctx, focus: GraphNode, rows: Row[], trail: Crumb[]): HTMLElement {
  const period = `${ctx.q.start_date} – ${ctx.q.end_date} (${ctx.q.timezone || 'UTC'})`;
  const pairs: [string, Node | string][] = [];
  if (focus.resource_type === 'tenant') {
    pairs.push(['Environments', String(rows.filter((r) => r.node.resource_type === 'environment').length)]);
  } else {
    pairs.push(['ID', focus.id]);
    if (focus.parent_id) {
      // A link only when the parent is an entity (an environment's organisation is not).
      const parent = trail.length && trail[trail.length - 1].id === focus.parent_id ? trail[trail.length - 1] : null;
      pairs.push(['Parent', parent ? drill(ctx, parent.id, parent.name) : focus.parent_id]);
    }
    pairs.push(['Status', cell(focus.status)]);
    if (focus.cloud || focus.region) pairs.push(['Cloud / region', `${cell(focus.cloud)} / ${cell(focus.region)}`]);
    if (focus.created_at) pairs.push(['Created (UTC)', time(focus.created_at)]);
    if (focus.deleted_at) pairs.push(['Deleted (UTC)', time(focus.deleted_at)]);
    pairs.push(['Tags', tagChips(focus.tags)]);
  }
  return h('div', { class: 'focus-card', 'data-focus-node': focus.id, 'data-type': focus.resource_type },
    h('div', { class: 'focus-head' },
      h('div', null, h('h3', null, focus.display_name || focus.id), h('span', { class: 'chip' }, focus.resource_type)),
      h('div', { class: 'focus-cost' }, h('span', null, `Cost, ${period}`), h('strong', { 'data-focus-cost': '' }, amount(focus.cost)))),
    kv(pairs));
}

function breadcrumb(ctx: Ctx, trail: Crumb[], focus: GraphNode | null): HTMLElement {
  const root = ctx.q.focus
    ? viewLink(ctx, { focus: null, expand: null, search: null }, `${ctx.tenant} · all environments`, { 'data-crumb': 'root' })
    : h('span', { 'aria-current': 'page', 'data-crumb': 'root' }, `${ctx.tenant} · all environments`);
  const items: Node[] = [root];
  for (const c of trail) items.push(drill(ctx, c.id, c.name, { 'data-crumb': c.id }));
  if (focus && ctx.q.focus) {
    items.push(ctx.q.expand
      ? viewLink(ctx, { expand: null }, focus.display_name || focus.id, { 'data-crumb': focus.id })
      : h('span', { 'aria-current': 'page', 'data-crumb': focus.id }, focus.display_name || focus.id));
  }
  if (ctx.q.expand) items.push(h('span', { 'aria-current': 'page' }, `all ${EXPAND_WORDS[ctx.q.expand] ?? ctx.q.expand}`));
  return h('ol', null, items.map((n) => h('li', null, n)));
}

function searchPanel(ctx: Ctx): HTMLElement {
  const text = ctx.q.search;
  return panel({ title: `Entities matching “${text}”`, id: 'graph-search', wide: true }, async () => {
    const r = await call<{ results: SearchHit[] }>(tenantPath(ctx.tenant, '/graph/search', { q: text }), { signal: ctx.signal });
    const hits = r.results ?? [];
    if (hits.length === 0) return h('p', { class: 'empty', 'data-search-results': '0' }, 'No resource or identity matches.');
    return h('ul', { class: 'search-hits', 'data-search-results': String(hits.length) }, hits.map((x) => h('li', null,
      drill(ctx, x.id, x.display_name || x.id), ' ',
      h('span', { class: 'chip' }, x.resource_type),
      x.display_name && x.display_name !== x.id ? h('span', { class: 'sub' }, ` ${x.id}`) : null,
      x.parent_id ? h('span', { class: 'hint' }, ` in ${x.parent_display_name || x.parent_id}`) : null,
      x.status === 'deleted' ? h('span', { class: 'chip deleted' }, 'deleted') : null)));
  });
}

function timelinePanel(ctx: Ctx, focus: GraphNode): HTMLElement {
  return panel({ title: `Daily cost of ${focus.display_name || focus.id}`, id: 'graph-timeline', wide: true }, async () => {
    const r = await call<{ points: { date: string; cost: string }[] }>(tenantPath(ctx.tenant, '/graph/timeline', {
      entity_id: focus.id, start: ctx.q.start_date, end: ctx.q.end_date, timezone: ctx.q.timezone || 'UTC',
    }), { signal: ctx.signal });
    const points = r.points ?? [];
    if (!points.some((p) => toUnits(p.cost) !== 0n)) return null;
    return stackedColumns(points.map((p) => ({ label: p.date.slice(5), total: p.cost, parts: [{ key: 'cost', amount: p.cost }] })), ['cost']);
  });
}

function render(ctx: Ctx, root: HTMLElement) {
  gated({ marker: '/graph', absent: 'The cost explorer is not enabled on this engine: it has no graph routes yet.' }, ctx, root, (body, routes) => {
    const controls = [...dateControls(ctx), selectFilter(ctx, 'depth', 'Depth', [['', '1 level'], ['2', '2 levels'], ['3', '3 levels']])];
    const canSearch = routes.includes('/graph/search');
    if (canSearch) controls.push(textFilter(ctx, 'search', 'Find a resource or identity'));
    body.append(filterBar(ctx, controls, ['search', 'depth', 'expand']));
    const crumbs = h('div', { class: 'breadcrumb', role: 'navigation', 'aria-label': 'Breadcrumb', 'data-breadcrumb': '' });
    replace(crumbs, breadcrumb(ctx, [], null));
    body.append(crumbs);
    if (canSearch && ctx.q.search) body.append(searchPanel(ctx));
    const below = h('div');
    body.append(panel({ title: 'Cost explorer', id: 'graph', wide: true }, async () => {
      const q: Record<string, string> = pick(ctx.q, [...DATES, 'focus', 'depth', 'expand']);
      const answer = await call<GraphAnswer>(tenantPath(ctx.tenant, '/graph', q), { signal: ctx.signal });
      const view = explorerView(answer);
      if (!view) return null;
      let trail: Crumb[] = [];
      if (canSearch && ctx.q.focus) {
        // The focus's parents (environment › cluster › …), each found by its id.
        trail = await ancestors(view.focus, async (id) => exactHit((await call<{ results: SearchHit[] }>(
          tenantPath(ctx.tenant, '/graph/search', { q: id }), { signal: ctx.signal })).results, id)).catch((e) => {
          if ((e as Error)?.name === 'AbortError') throw e;
          return [];
        });
      }
      replace(crumbs, breadcrumb(ctx, trail, view.focus));
      if (ctx.q.focus && routes.includes('/graph/timeline')) replace(below, timelinePanel(ctx, view.focus));
      const notes: Node[] = [];
      if (ctx.q.expand) {
        notes.push(h('p', { class: 'hint' }, `Every ${EXPAND_WORDS[ctx.q.expand] ?? ctx.q.expand} with a cost (up to 200; the rest in summary rows). `,
          viewLink(ctx, { expand: null }, 'Show the top 5 only', { 'data-collapse': '' })));
      }
      return h('div', { class: 'explorer' }, focusCard(ctx, view.focus, view.rows, trail), notes, rowsTable(ctx, view.focus, view.rows));
    }));
    body.append(below);
  });
}

export const explorer: PageDef = { path: '/explorer', title: 'Cost explorer', dates: true, render };
