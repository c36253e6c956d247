// The filter bar: every control writes its value to the URL (one history entry per change), and
// the page re-renders from the URL, so a copied link reproduces the view exactly.
import { call, tenantPath, Page } from './api';
import { Ctx } from './ctx';
import { h } from './dom';
import { presetRange, Preset, todayIn } from './url';

let zones: string[] | null = null;
function timeZones(): string[] {
  if (!zones) {
    const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
    zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
    if (!zones.includes('UTC')) zones.unshift('UTC');
  }
  return zones;
}

export function dateControls(ctx: Ctx): HTMLElement[] {
  const q = ctx.q;
  const tz = q.timezone || 'UTC';
  const presets: [Preset, string][] = [
    ['last_month', 'Last month'], ['this_month', 'This month'],
    ['last_30_days', 'Last 30 days'], ['last_7_days', 'Last 7 days'],
  ];
  return [
    h('label', null, 'From', h('input', {
      type: 'date', name: 'start_date', value: q.start_date ?? '',
      onchange: (e: Event) => ctx.set({ start_date: (e.target as HTMLInputElement).value, page: null }),
    })),
    h('label', null, 'To', h('input', {
      type: 'date', name: 'end_date', value: q.end_date ?? '',
      onchange: (e: Event) => ctx.set({ end_date: (e.target as HTMLInputElement).value, page: null }),
    })),
    h('label', null, 'Range', h('select', {
      name: 'preset',
      onchange: (e: Event) => {
        const v = (e.target as HTMLSelectElement).value as Preset;
        if (v) ctx.set({ ...presetRange(v, todayIn(tz)), page: null });
      },
    }, h('option', { value: '' }, 'Preset…'), presets.map(([v, l]) => h('option', { value: v }, l)))),
    h('label', null, 'Time zone', h('select', {
      name: 'timezone',
      onchange: (e: Event) => ctx.set({ timezone: (e.target as HTMLSelectElement).value, page: null }),
    }, timeZones().map((z) => h('option', { value: z, selected: z === tz }, z)))),
  ];
}

function text(ctx: Ctx, name: string, label: string, list?: string): HTMLElement {
  return h('label', null, label, h('input', {
    type: 'search', name, value: ctx.q[name] ?? '', list, placeholder: 'any',
    onchange: (e: Event) => ctx.set({ [name]: (e.target as HTMLInputElement).value.trim(), page: null }),
  }));
}

function select(ctx: Ctx, name: string, label: string, options: [string, string][]): HTMLElement {
  return h('label', null, label, h('select', {
    name, onchange: (e: Event) => ctx.set({ [name]: (e.target as HTMLSelectElement).value, page: null }),
  }, options.map(([v, l]) => h('option', { value: v, selected: (ctx.q[name] ?? '') === v }, l))));
}

/** Suggestions for the identity / resource boxes (first 1000 of each), loaded once per tenant. */
type Option = [string, string];
const suggestions = new Map<string, Promise<{ identities: Option[]; resources: Option[] }>>();
function fillSuggestions(tenant: string, form: HTMLElement) {
  let p = suggestions.get(tenant);
  if (!p) {
    const load = async (kind: string, id: string): Promise<Option[]> => {
      const page = await call<Page<Record<string, string>>>(tenantPath(tenant, `/${kind}`, { page_size: '1000' }));
      return page.items.map((it) => [it[id], it.display_name || '']);
    };
    p = Promise.all([load('identities', 'identity_id'), load('resources', 'resource_id')])
      .then(([identities, resources]) => ({ identities, resources }));
    p.catch(() => suggestions.delete(tenant));
    suggestions.set(tenant, p);
  }
  p.then((s) => {
    for (const kind of ['identities', 'resources'] as const) {
      const list = form.querySelector(`#dl-${kind}`);
      if (!list) continue;
      list.textContent = '';
      for (const [v, l] of s[kind]) list.appendChild(h('option', { value: v }, l));
    }
  }, () => undefined);
}

export function chargebackFilters(ctx: Ctx): HTMLElement[] {
  return [
    text(ctx, 'identity_id', 'Identity', 'dl-identities'),
    text(ctx, 'resource_id', 'Resource', 'dl-resources'),
    text(ctx, 'product_type', 'Product type'),
    select(ctx, 'cost_type', 'Cost type', [['', 'any'], ['usage', 'Usage'], ['shared', 'Shared']]),
    text(ctx, 'tag_key', 'Tag key'),
    text(ctx, 'tag_value', 'Tag value'),
  ];
}

export function textFilter(ctx: Ctx, name: string, label: string) {
  return text(ctx, name, label);
}
export function selectFilter(ctx: Ctx, name: string, label: string, options: [string, string][]) {
  return select(ctx, name, label, options);
}

export function filterBar(ctx: Ctx, controls: HTMLElement[], resetKeys: string[]): HTMLElement {
  const active = resetKeys.some((k) => ctx.q[k]);
  const form = h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() },
    controls,
    h('button', {
      type: 'button', class: 'link', disabled: !active,
      onclick: () => ctx.set(Object.fromEntries(resetKeys.map((k) => [k, null]))),
    }, 'Clear filters'),
    h('datalist', { id: 'dl-identities' }), h('datalist', { id: 'dl-resources' }));
  // Suggestions load when a box that offers them is first focused (or were loaded before),
  // so they never queue in front of the page's own queries.
  if (controls.some((c) => c.querySelector('[list]'))) {
    if (suggestions.has(ctx.tenant)) fillSuggestions(ctx.tenant, form);
    else {
      const onFocus = (e: Event) => {
        if (!(e.target as HTMLElement).hasAttribute('list')) return;
        form.removeEventListener('focusin', onFocus);
        fillSuggestions(ctx.tenant, form);
      };
      form.addEventListener('focusin', onFocus);
    }
  }
  return form;
}
