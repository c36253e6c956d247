// The shell: sidebar, tenant selector, pipeline banner, token prompt and the router. The path
// names the page; the query holds tenant, dates, time zone, filters, sort, page and selection.
import './style.css';
import { call, forgetToken, setTokenPrompt, tenantPath, TenantSummary, token } from './api';
import { errorBox } from './components';
import { Ctx, PageDef } from './ctx';
import { h, replace } from './dom';
import { billing } from './pages/billing';
import { chargebacks } from './pages/chargebacks';
import { dashboard } from './pages/dashboard';
import { identities, resources } from './pages/entities';
import { explorer } from './pages/explorer';
import { focus, topics } from './pages/optional';
import { pipeline, PipelineStatus } from './pages/pipeline';
import { tags } from './pages/tags';
import { buildQuery, parseQuery, patchQuery, presetRange, Query, todayIn } from './url';

const PAGES: PageDef[] = [dashboard, chargebacks, explorer, topics, billing, resources, identities, tags, pipeline, focus];
const KEEP = ['tenant', 'start_date', 'end_date', 'timezone'];

const app = document.getElementById('app')!;
let tenants: TenantSummary[] = [];
let controller: AbortController | null = null;
let running = new Map<string, PipelineStatus>();

setTokenPrompt((failed) => new Promise((resolve) => {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'current-password', required: true, 'aria-label': 'API token' });
  const dlg = h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Sign in' },
    h('form', {
      onsubmit: (e: Event) => { e.preventDefault(); dlg.remove(); resolve(input.value.trim()); },
    }, h('h2', null, 'This engine needs its API token'),
    h('p', null, failed ? 'That token was refused. Try again.' : 'Enter the value of api.auth_token. It is kept for this browser tab only.'),
    input, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
  document.body.append(dlg);
  input.focus();
}));

function currentPage(): PageDef | undefined {
  return PAGES.find((p) => p.path === location.pathname);
}

function navigate(path: string, q: Query, replaceState = false) {
  const url = path + buildQuery(q);
  if (replaceState) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

function shell(page: PageDef | undefined, q: Query): { main: HTMLElement } {
  const main = h('main', { id: 'main' });
  const keep = Object.fromEntries(KEEP.filter((k) => q[k]).map((k) => [k, q[k]]));
  const nav = h('nav', { 'aria-label': 'Pages' }, h('ul', null, PAGES.map((p) =>
    h('li', null, h('a', {
      href: p.path + buildQuery(keep), class: p === page ? 'active' : '', 'aria-current': p === page ? 'page' : undefined,
      onclick: (e: MouseEvent) => { if (e.ctrlKey || e.metaKey || e.button) return; e.preventDefault(); navigate(p.path, keep); },
    }, p.title)))),
  h('p', { class: 'side-links' }, h('a', { href: '/docs' }, 'API reference'), token() ? [' · ', h('button', {
    type: 'button', class: 'link', onclick: () => { forgetToken(); location.reload(); },
  }, 'Sign out')] : null));
  const select = h('select', {
    name: 'tenant', 'aria-label': 'Tenant',
    onchange: (e: Event) => navigate(location.pathname, { ...Object.fromEntries(KEEP.map((k) => [k, q[k]]).filter(([, v]) => v)), tenant: (e.target as HTMLSelectElement).value }),
  }, tenants.map((t) => h('option', { value: t.tenant_name, selected: t.tenant_name === q.tenant }, `${t.tenant_name} (${t.ecosystem})`)));
  const status = running.get(q.tenant);
  replace(app,
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '/dashboard' + buildQuery({ tenant: q.tenant }) }, 'chitragupt'),
      h('span', { class: 'page-title' }, page?.title ?? 'Not found'),
      h('label', { class: 'tenant' }, 'Tenant ', select)),
    status?.is_running ? h('div', { class: 'banner', role: 'status' },
      `Pipeline running — ${status.last_run?.stage ?? 'starting'}. Exports and tag edits are read-only until it finishes.`) : null,
    h('div', { class: 'layout' }, nav, main));
  return { main };
}

async function pollPipeline(tenant: string) {
  try {
    const s = await call<PipelineStatus>(tenantPath(tenant, '/pipeline/status'));
    const was = running.get(tenant)?.is_running ?? false;
    running.set(tenant, s);
    if (was !== s.is_running && new URLSearchParams(location.search).get('tenant') === tenant) render();
    setTimeout(() => pollPipeline(tenant), s.is_running ? 3000 : 20000);
  } catch {
    setTimeout(() => pollPipeline(tenant), 20000);
  }
}
const polled = new Set<string>();

function render() {
  controller?.abort();
  controller = new AbortController();
  const page = currentPage();
  let q = parseQuery(location.search);
  if (location.pathname === '/' || location.pathname === '/index.html') {
    navigate('/dashboard', q, true);
    return;
  }
  if (tenants.length === 0) {
    replace(app, h('div', { class: 'center' }, h('h1', null, 'chitragupt'), h('p', null, 'No tenants are configured on this engine.')));
    return;
  }
  // Fill in what the URL lacks (tenant, dates, zone) and write it back, so the URL always
  // describes the whole view and a copied link reproduces it.
  const fixes: Query = {};
  if (!tenants.some((t) => t.tenant_name === q.tenant)) fixes.tenant = tenants[0].tenant_name;
  if (page?.dates) {
    const tz = q.timezone || 'UTC';
    if (!q.timezone) fixes.timezone = tz;
    if (!q.start_date || !q.end_date) Object.assign(fixes, presetRange('last_30_days', todayIn(tz)));
  }
  if (Object.keys(fixes).length) {
    q = patchQuery(q, fixes);
    history.replaceState(null, '', location.pathname + buildQuery(q));
  }
  if (!polled.has(q.tenant)) {
    polled.add(q.tenant);
    pollPipeline(q.tenant);
  }
  const { main } = shell(page, q);
  document.title = `${page?.title ?? 'Not found'} · ${q.tenant} · chitragupt`;
  if (!page) {
    main.append(h('p', null, 'There is no such page. ', h('a', { href: '/dashboard' }, 'Go to the dashboard')));
    return;
  }
  const ctx: Ctx = {
    tenant: q.tenant,
    tenantInfo: tenants.find((t) => t.tenant_name === q.tenant),
    q,
    signal: controller.signal,
    readOnly: running.get(q.tenant)?.is_running ?? false,
    set: (patch, opts) => navigate(location.pathname, patchQuery(q, patch), opts?.replace),
    go: (path, extra = {}) => navigate(path, { ...Object.fromEntries(KEEP.filter((k) => q[k]).map((k) => [k, q[k]])), ...extra }),
  };
  page.render(ctx, main);
}

async function start() {
  try {
    tenants = await call<TenantSummary[]>('/api/v1/tenants').then((r) =>
      Array.isArray(r) ? r : ((r as unknown as { tenants: TenantSummary[] }).tenants ?? []));
  } catch (e) {
    replace(app, h('div', { class: 'center' }, h('h1', null, 'chitragupt'), errorBox(e, start)));
    return;
  }
  window.addEventListener('popstate', render);
  render();
}

start();
