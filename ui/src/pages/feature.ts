// Pages for features other parts of the engine provide (topic attribution, the cost graph,
// FOCUS exports). Whether the running engine has them is read from its /openapi.json, so a page
// never probes a missing route (no 404s); when absent, the page says so.
import { engineRoutes } from '../api';
import { errorBox, notice } from '../components';
import { Ctx } from '../ctx';
import { h, replace } from '../dom';
import { buildQuery, patchQuery } from '../url';

export interface Feature {
  marker: string; // a path fragment under /api/v1/tenants/{tenant}
  absent: string;
}

export const PREFIX = '/api/v1/tenants/{tenant}';

/**
 * Checks the engine's routes, then lets `build` fill the page (data-state present) or says the
 * feature is absent (data-state absent). `build` gets the feature's routes (without the prefix).
 */
export function gated(f: Feature, ctx: Ctx, root: HTMLElement, build: (body: HTMLElement, routes: string[]) => void) {
  const body = h('div', { 'data-feature': f.marker }, h('div', { class: 'loading' }, 'Checking the engine…'));
  root.append(body);
  engineRoutes().then((routes) => {
    if (ctx.signal.aborted) return;
    const mine = [...routes].filter((r) => r.startsWith(PREFIX + f.marker)).sort().map((r) => r.slice(PREFIX.length));
    if (mine.length === 0) {
      body.dataset.state = 'absent';
      replace(body, notice(f.absent, 'info'));
      return;
    }
    body.dataset.state = 'present';
    replace(body);
    build(body, mine);
    body.append(h('p', { class: 'hint' }, 'Routes on this engine: ', mine.map((m) => h('code', null, m, ' ')),
      ' — see ', h('a', { href: '/docs' }, 'the API reference'), '.'));
  }, (e) => replace(body, errorBox(e)));
}

/** An <a> to this page with `patch` applied to the URL: a real link (copy, new tab), and a
 * plain click re-renders in place. */
export function viewLink(ctx: Ctx, patch: Record<string, string | null>, text: string | Node,
  attrs: Record<string, unknown> = {}): HTMLAnchorElement {
  return h('a', {
    ...attrs, href: location.pathname + buildQuery(patchQuery(ctx.q, patch)),
    onclick: (e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
      e.preventDefault();
      ctx.set(patch);
    },
  }, text);
}
