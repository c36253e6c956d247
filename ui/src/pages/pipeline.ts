import { call, tenantPath } from '../api';
import { errorBox, notice, panel } from '../components';
import { Ctx, PageDef } from '../ctx';
import { h, replace } from '../dom';
import { dateControls, filterBar } from '../filters';
import { pick } from '../url';

export interface PipelineStatus {
  tenant_name: string;
  is_running: boolean;
  last_run: { status: string; started_at: string; ended_at: string | null; stage: string | null; trigger: string } | null;
  last_result: { dates_gathered: number; dates_calculated: number; chargeback_rows_written: number; errors: string[]; completed_at: string } | null;
}

function render(ctx: Ctx, root: HTMLElement) {
  root.append(filterBar(ctx, dateControls(ctx), []));
  const statusBox = h('section', { class: 'panel wide', 'data-panel': 'pipeline-status' });
  root.append(statusBox);
  let timer = 0;
  const refresh = () => {
    call<PipelineStatus>(tenantPath(ctx.tenant, '/pipeline/status'), { signal: ctx.signal }).then((s) => {
      const run = h('button', {
        type: 'button', class: 'primary', 'data-action': 'run-pipeline', disabled: s.is_running,
        onclick: () => {
          run.disabled = true;
          call<{ status: string; message: string }>(tenantPath(ctx.tenant, '/pipeline/run'), { method: 'POST' }).then(
            (r) => { result.replaceChildren(notice(`${r.status}: ${r.message}`)); refresh(); },
            (e) => { result.replaceChildren(errorBox(e)); run.disabled = false; });
        },
      }, s.is_running ? 'Running…' : 'Run pipeline');
      const result = h('div');
      const stages = ['gathering', 'calculating', 'emitting'];
      const current = s.is_running ? s.last_run?.stage ?? 'starting' : null;
      replace(statusBox,
        h('header', null, h('h2', null, 'Pipeline'), run),
        result,
        h('ol', { class: 'stepper' }, stages.map((st) => h('li', {
          class: current === st ? 'current' : s.last_run?.status === 'failed' && s.last_run?.stage === st ? 'failed' : '',
        }, st))),
        h('p', { 'data-pipeline-state': s.is_running ? 'running' : s.last_run?.status ?? 'never' },
          s.is_running ? `Running since ${s.last_run?.started_at} — stage: ${current}`
            : s.last_run ? `Last run ${s.last_run.status} (${s.last_run.trigger}), ${s.last_run.started_at} → ${s.last_run.ended_at ?? '…'}` : 'The pipeline has not run yet.'),
        s.last_result ? h('dl', { class: 'kv' },
          h('dt', null, 'Completed at'), h('dd', null, s.last_result.completed_at),
          h('dt', null, 'Dates gathered'), h('dd', null, s.last_result.dates_gathered),
          h('dt', null, 'Dates calculated'), h('dd', null, s.last_result.dates_calculated),
          h('dt', null, 'Chargeback rows written'), h('dd', null, s.last_result.chargeback_rows_written),
          h('dt', null, 'Errors'), h('dd', null, s.last_result.errors.length ? s.last_result.errors.join('; ') : 'none'))
          : h('p', { class: 'hint' }, 'No completed runs yet.'));
      if (!ctx.signal.aborted) timer = window.setTimeout(refresh, s.is_running ? 2000 : 15000);
    }, (e) => { if (e?.name !== 'AbortError') replace(statusBox, errorBox(e, refresh)); });
  };
  ctx.signal.addEventListener('abort', () => clearTimeout(timer));
  refresh();

  type State = { tracking_date: string; billing_gathered: boolean; resources_gathered: boolean; chargeback_calculated: boolean };
  root.append(panel({ title: 'Per-date status', id: 'per-date', wide: true }, async () => {
    const r = await call<{ states: State[] }>(tenantPath(ctx.tenant, '/status', pick(ctx.q, ['start_date', 'end_date', 'timezone'])), { signal: ctx.signal });
    if (r.states.length === 0) return null;
    const mark = (b: boolean) => h('span', { class: b ? 'ok' : 'no', title: b ? 'done' : 'not yet' }, b ? '✓' : '·');
    const rows = [...r.states].sort((a, b) => (a.tracking_date < b.tracking_date ? 1 : -1));
    return h('div', { class: 'scroll' }, h('table', { class: 'compact' },
      h('thead', null, h('tr', null, h('th', null, 'Date'), h('th', null, 'Billing'), h('th', null, 'Resources'), h('th', null, 'Chargebacks'))),
      h('tbody', null, rows.map((s) => h('tr', null, h('td', null, s.tracking_date), h('td', null, mark(s.billing_gathered)),
        h('td', null, mark(s.resources_gathered)), h('td', null, mark(s.chargeback_calculated)))))));
  }));
}

export const pipeline: PageDef = { path: '/pipeline', title: 'Pipeline', dates: true, render };
