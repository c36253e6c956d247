// Pages for features other parts of the engine provide (topic attribution, the cost graph,
// FOCUS exports). Whether the running engine has them is read from its /openapi.json, so a page
// never probes a missing route (no 404s); when absent, the page says so.
import { call, engineRoutes, tenantPath } from '../api';
import { cell, errorBox, notice, panel } from '../components';
import { Ctx, PageDef } from '../ctx';
import { h, replace } from '../dom';
import { dateControls, filterBar } from '../filters';
import { pick } from '../url';

interface Feature {
  path: string;
  title: string;
  marker: string; // a path fragment under /api/v1/tenants/{tenant}
  list: string; // the GET route whose answer the page shows
  absent: string;
  dates: boolean;
}

function table(items: Record<string, unknown>[]): HTMLElement | null {
  if (items.length === 0) return null;
  const keys = Object.keys(items[0]);
  return h('div', { class: 'scroll' }, h('table', null,
    h('thead', null, h('tr', null, keys.map((k) => h('th', null, k)))),
    h('tbody', null, items.map((it) => h('tr', null, keys.map((k) => h('td', null, cell(it[k]))))))));
}

function featurePage(f: Feature): PageDef {
  function render(ctx: Ctx, root: HTMLElement) {
    const body = h('div', { 'data-feature': f.marker }, h('div', { class: 'loading' }, 'Checking the engine…'));
    root.append(body);
    engineRoutes().then((routes) => {
      const prefix = '/api/v1/tenants/{tenant}';
      const mine = [...routes].filter((r) => r.startsWith(prefix + f.marker)).sort();
      if (mine.length === 0) {
        body.dataset.state = 'absent';
        replace(body, notice(f.absent, 'info'));
        return;
      }
      body.dataset.state = 'present';
      replace(body);
      if (f.dates) body.append(filterBar(ctx, dateControls(ctx), []));
      body.append(panel({ title: f.title, id: f.marker, wide: true }, async () => {
        const r = await call<unknown>(tenantPath(ctx.tenant, f.list, f.dates ? pick(ctx.q, ['start_date', 'end_date', 'timezone']) : {}), { signal: ctx.signal });
        const items = Array.isArray(r) ? r : ((r as { items?: unknown[] }).items ?? []);
        return table(items as Record<string, unknown>[]);
      }));
      body.append(h('p', { class: 'hint' }, 'Routes on this engine: ', mine.map((m) => h('code', null, m.slice(prefix.length), ' ')),
        ' — see ', h('a', { href: '/docs' }, 'the API reference'), '.'));
    }, (e) => replace(body, errorBox(e)));
  }
  return { path: f.path, title: f.title, dates: f.dates, render };
}

export const topics = featurePage({
  path: '/topic-attributions', title: 'Topic attribution', marker: '/topic-attributions', list: '/topic-attributions',
  dates: true, absent: 'Topic attribution is not enabled on this engine: it has no topic-attribution routes yet.',
});
export const explorer = featurePage({
  path: '/explorer', title: 'Cost explorer', marker: '/graph', list: '/graph',
  dates: true, absent: 'The cost explorer is not enabled on this engine: it has no graph routes yet.',
});
export const focus = featurePage({
  path: '/focus', title: 'FOCUS export', marker: '/focus', list: '/focus/exports',
  dates: false, absent: 'FOCUS export is not available on this engine.',
});
