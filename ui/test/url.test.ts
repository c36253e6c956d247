import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildQuery, daysBetween, exportBody, nextSort, parseQuery, patchQuery, pick, presetRange, sortState, todayIn } from '../src/url';

test('buildQuery is canonical (sorted keys, empty values dropped) and parseQuery reads it back', () => {
  const q = { tenant: 'prod', start_date: '2026-01-01', identity_id: '', tag_value: 'a b&c' };
  const text = buildQuery(q);
  assert.equal(text, '?start_date=2026-01-01&tag_value=a+b%26c&tenant=prod');
  assert.deepEqual(parseQuery(text), { start_date: '2026-01-01', tag_value: 'a b&c', tenant: 'prod' });
  assert.equal(buildQuery({}), '');
});

test('patchQuery sets and removes keys without touching the input', () => {
  const q = { a: '1', b: '2' };
  assert.deepEqual(patchQuery(q, { a: null, c: '3', b: '' }), { c: '3' });
  assert.deepEqual(q, { a: '1', b: '2' });
});

test('presetRange gives calendar ranges, across year ends and leap years', () => {
  assert.deepEqual(presetRange('last_month', '2026-01-15'), { start_date: '2025-12-01', end_date: '2025-12-31' });
  assert.deepEqual(presetRange('last_month', '2024-03-01'), { start_date: '2024-02-01', end_date: '2024-02-29' });
  assert.deepEqual(presetRange('this_month', '2026-02-17'), { start_date: '2026-02-01', end_date: '2026-02-17' });
  assert.deepEqual(presetRange('last_30_days', '2026-03-01'), { start_date: '2026-01-31', end_date: '2026-03-01' });
  assert.deepEqual(presetRange('last_7_days', '2026-03-01'), { start_date: '2026-02-23', end_date: '2026-03-01' });
});

test('todayIn uses the zone', () => {
  const now = new Date('2026-05-01T02:00:00Z');
  assert.equal(todayIn('UTC', now), '2026-05-01');
  assert.equal(todayIn('America/New_York', now), '2026-04-30');
  assert.equal(todayIn('Not/AZone', now), '2026-05-01');
});

test('daysBetween is inclusive and capped', () => {
  assert.deepEqual(daysBetween('2026-02-27', '2026-03-02'), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  assert.equal(daysBetween('2020-01-01', '2030-01-01', 10).length, 10);
  assert.deepEqual(daysBetween('2026-03-02', '2026-03-01'), []);
});

test('exportBody carries exactly the visible filters, and refuses tag filters the export cannot apply', () => {
  const q = { tenant: 't', start_date: '2026-01-01', end_date: '2026-01-31', timezone: 'Europe/Berlin', identity_id: 'sa-1', cost_type: 'usage', page: '3' };
  assert.deepEqual(exportBody(q).body, {
    start_date: '2026-01-01', end_date: '2026-01-31', timezone: 'Europe/Berlin', filters: { identity_id: 'sa-1', cost_type: 'usage' },
  });
  const withTag = exportBody({ ...q, tag_key: 'owner' });
  assert.equal(withTag.body, undefined);
  assert.match(withTag.reason!, /tag/);
});

test('sort state comes from the URL, only for allowed columns, and a header click flips it', () => {
  assert.deepEqual(sortState({ sort: 'display_name', order: 'desc' }, ['display_name']), { by: 'display_name', order: 'desc' });
  assert.deepEqual(sortState({ sort: 'evil' }, ['display_name']), { by: undefined, order: 'asc' });
  assert.deepEqual(nextSort({ by: 'a', order: 'asc' }, 'a'), { sort: 'a', order: 'desc' });
  assert.deepEqual(nextSort({ by: 'a', order: 'desc' }, 'a'), { sort: 'a', order: 'asc' });
  assert.deepEqual(nextSort({ by: 'a', order: 'desc' }, 'b'), { sort: 'b', order: 'asc' });
  assert.deepEqual(pick({ a: '1', b: '', c: '3' }, ['a', 'b']), { a: '1' });
});
