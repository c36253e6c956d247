// Time to first render of the dashboard in Debian's chromium (playwright-core): from navigation
// to the totals and every panel settled (no spinner left), against a running engine.
//   node browser/first_render.mjs --base http://127.0.0.1:PORT --tenant T --start D --end D [--runs 3]
// Prints one line per run plus, for comparison in the same run, the time of the dashboard's
// slowest single API call made directly (its day-bucketed aggregate).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (n, d) => { const i = process.argv.indexOf(`--${n}`); return i >= 0 ? process.argv[i + 1] : d; };
const base = arg('base'), tenant = arg('tenant'), start = arg('start'), end = arg('end');
const runs = Number(arg('runs', '3'));
const profile = mkdtempSync(join(tmpdir(), 'chitragupt-render-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: arg('chromium', '/usr/bin/chromium'), headless: true, viewport: { width: 1366, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const url = `${base}/dashboard?tenant=${tenant}&start_date=${start}&end_date=${end}&timezone=UTC`;
const page = await ctx.newPage();
await page.goto(`${base}/favicon.svg`); // warm the connection, not the caches of the page
const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('[data-stat=total] strong', { timeout: 120000 });
  const totals = Date.now() - t0;
  await page.waitForFunction(() => !document.querySelector('.loading, [data-state=loading]'), null, { timeout: 120000 });
  const all = Date.now() - t0;
  times.push(all);
  console.log(`run ${i + 1}: totals shown after ${totals} ms, every panel after ${all} ms`);
}
const q = new URLSearchParams({ start_date: start, end_date: end, timezone: 'UTC', group_by: 'cost_type', time_bucket: 'day' });
const t0 = Date.now();
await (await fetch(`${base}/api/v1/tenants/${tenant}/chargebacks/aggregate?${q}`)).json();
const one = Date.now() - t0;
const best = Math.min(...times);
console.log(`dashboard first render (best of ${runs}): ${best} ms; one aggregate call alone: ${one} ms; ratio ${(best / Math.max(1, one)).toFixed(2)}`);
await ctx.close();
rmSync(profile, { recursive: true, force: true });
