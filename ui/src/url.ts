// The view lives in the URL: path = page, query = tenant, dates, time zone, filters, sort, page
// and selection. These helpers are pure (unit-tested); main.ts applies them to `location`.

export type Query = Record<string, string>;

export function parseQuery(search: string): Query {
  const out: Query = {};
  new URLSearchParams(search).forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

/** Stable, canonical query text: keys sorted, empty values dropped. "" when nothing is left. */
export function buildQuery(q: Query): string {
  const p = new URLSearchParams();
  for (const k of Object.keys(q).sort()) {
    const v = q[k];
    if (v !== undefined && v !== null && v !== '') p.set(k, v);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** q with `patch` applied; a null/"" value removes the key. */
export function patchQuery(q: Query, patch: Record<string, string | null | undefined>): Query {
  const out: Query = { ...q };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Today's calendar date in an IANA zone, as YYYY-MM-DD. */
export function todayIn(timezone: string, now: Date = new Date()): string {
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit',
    }).format(now);
  } catch {
    return ymd(now);
  }
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return ymd(d);
}

export type Preset = 'last_month' | 'this_month' | 'last_30_days' | 'last_7_days';

/** [start, end] (inclusive calendar days) of a preset relative to `today` (YYYY-MM-DD). */
export function presetRange(preset: Preset, today: string): { start_date: string; end_date: string } {
  const [y, m] = today.split('-').map(Number);
  switch (preset) {
    case 'last_month': {
      const first = new Date(Date.UTC(y, m - 2, 1));
      const last = new Date(Date.UTC(y, m - 1, 0));
      return { start_date: ymd(first), end_date: ymd(last) };
    }
    case 'this_month':
      return { start_date: `${today.slice(0, 8)}01`, end_date: today };
    case 'last_7_days':
      return { start_date: addDays(today, -6), end_date: today };
    default:
      return { start_date: addDays(today, -29), end_date: today };
  }
}

/** The calendar month before `today` (YYYY-MM-DD) as YYYY-MM (a FOCUS billing period). */
export function previousMonth(today: string): string {
  const [y, m] = today.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Every calendar day from start to end inclusive (at most `cap`). */
export function daysBetween(start: string, end: string, cap = 400): string[] {
  const out: string[] = [];
  let d = start;
  while (d <= end && out.length < cap) {
    out.push(d);
    d = addDays(d, 1);
  }
  return out;
}

/** The query parameters named in `keys` that are set in q, for an API call. */
export function pick(q: Query, keys: readonly string[]): Query {
  const out: Query = {};
  for (const k of keys) if (q[k]) out[k] = q[k];
  return out;
}

export const CHARGEBACK_FILTERS = [
  'identity_id', 'product_type', 'resource_id', 'cost_type', 'tag_key', 'tag_value',
] as const;
/** The filters POST /export accepts (no tag filters). */
export const EXPORT_FILTERS = ['identity_id', 'product_type', 'resource_id', 'cost_type'] as const;

/** The body of POST /export for exactly the filters in q, or a reason it cannot be built. */
export function exportBody(q: Query): { body?: object; reason?: string } {
  if (q.tag_key || q.tag_value) {
    return { reason: 'The server export has no tag filter; clear the tag filter to export.' };
  }
  const filters: Record<string, string> = {};
  for (const k of EXPORT_FILTERS) if (q[k]) filters[k] = q[k];
  return {
    body: {
      start_date: q.start_date, end_date: q.end_date, timezone: q.timezone || 'UTC', filters,
    },
  };
}

/** The sort state of a grid from q: `sort=<column>` and `order=asc|desc`. */
export function sortState(q: Query, allowed: readonly string[]): { by?: string; order: 'asc' | 'desc' } {
  const by = q.sort && allowed.includes(q.sort) ? q.sort : undefined;
  return { by, order: q.order === 'desc' ? 'desc' : 'asc' };
}

/** Clicking a header: a new column sorts ascending; the same column flips. */
export function nextSort(current: { by?: string; order: 'asc' | 'desc' }, column: string) {
  if (current.by !== column) return { sort: column, order: 'asc' };
  return { sort: column, order: current.order === 'asc' ? 'desc' : 'asc' };
}
