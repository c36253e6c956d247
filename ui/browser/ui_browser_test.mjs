// The web UI in a real browser: Debian's chromium driven by playwright-core (no browser
// download) against the real engine and ccloud-sim on loopback. Run by ctest (ui_browser_test):
//
//   node browser/ui_browser_test.mjs --engine build/chitragupt --sim build/ccloud-sim \
//        --screenshots build/ui-screenshots [--chromium /usr/bin/chromium]
//
// Asserts: every page loads with zero console errors and zero failed requests (desktop and
// narrow width, each screenshotted); the dashboard's total equals chargebacks/aggregate's
// total_amount; a filter change changes the URL and the request; a copied URL opened in a fresh
// page shows the same view; a grid sort goes to the server and changes the first row; the CSV
// export's amounts sum to the aggregate; the cost explorer lists the environments with costs
// that add up exactly to the tenant node, drills down (focus= in the URL), goes back by its
// breadcrumb and finds entities by search; topic attribution shows the aggregate's total and the
// rows; a FOCUS export started in the page finishes and its file downloads; with
// api.auth_token set the UI prompts for the token and then works, while the API stays closed
// without it. Every wait is bounded.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ENGINE = resolve(arg('engine', '../build/chitragupt'));
const SIM = resolve(arg('sim', '../build/ccloud-sim'));
const SHOTS = resolve(arg('screenshots', '../build/ui-screenshots'));
const CHROMIUM = arg('chromium', process.env.CHROMIUM || '/usr/bin/chromium');
const TOKEN = 'ui-test-token-5f1c';
const started = Date.now();

const dir = mkdtempSync(join(tmpdir(), 'chitragupt-ui-'));
const children = [];
let failures = 0;
let checks = 0;

function check(cond, what, detail = '') {
  checks++;
  if (cond) {
    console.log(`ok   ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } else {
    failures++;
    console.log(`FAIL ${what}${detail ? `\n     ${detail}` : ''}`);
  }
}

function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);

async function until(probe, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms: ${what}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

function run(bin, args, name) {
  const out = join(dir, `${name}.log`);
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.log = '';
  child.stdout.on('data', (d) => { child.log += d; });
  child.stderr.on('data', (d) => { child.log += d; });
  child.on('exit', () => writeFileSync(out, child.log));
  children.push(child);
  return child;
}

// ---------------------------------------------------------------- the engine and its data
const sim = run(SIM, ['--port', '0', '--seed', '7', '--preset', 'small'], 'sim');
const simPort = await until(() => Number(/listening on [^:]+:(\d+)/.exec(sim.log)?.[1]), 10000, 'ccloud-sim listening');
const port = await freePort();
let base = `http://127.0.0.1:${port}`;
const simUrl = `http://127.0.0.1:${simPort}`;
const config = (extra = '') => `logging:\n  level: WARNING\nfeatures:\n  enable_periodic_refresh: false\napi:\n  host: 127.0.0.1\n  port: ${port}\n${extra}tenants:
  acme:
    ecosystem: confluent_cloud
    tenant_id: acme
    lookback_days: 6
    cutoff_days: 1
    storage:
      connection_string: sqlite:///${dir}/acme.db
    plugin_settings:
      ccloud_api: {key: sim-key, secret: sim-secret, base_url: "${simUrl}"}
      metrics: {url: "${simUrl}", auth_type: basic, username: sim-key, password: sim-secret}
      topic_attribution: {enabled: true}
`;
writeFileSync(join(dir, 'config.yaml'), config());
const engine = run(ENGINE, ['--config-file', join(dir, 'config.yaml'), '--mode', 'both'], 'engine');
await until(async () => {
  const h = await (await fetch(`${base}/health`)).json();
  const t = h.tenants?.find((x) => x.name === 'acme');
  return t && t.state !== 'running' && t.last_run?.status === 'completed';
}, 120000, 'the first pipeline run');
console.log(`engine ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
// A second engine on the same database with api.auth_token set (--mode api: it only reads),
// started now so that it is up by the time the auth checks run.
const authPort = await freePort();
const authBase = `http://127.0.0.1:${authPort}`;
writeFileSync(join(dir, 'config-auth.yaml'),
  config(`  auth_token: ${TOKEN}\n`).replace(`port: ${port}`, `port: ${authPort}`));
run(ENGINE, ['--config-file', join(dir, 'config-auth.yaml'), '--mode', 'api'], 'engine-auth');

const api = async (path, init) => {
  const res = await fetch(`${base}/api/v1/tenants/acme${path}`, init);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
};
// A tag, so the dashboard's tag pivot and the Tags page have something to show.
const firstResources = await api('/resources?page_size=3&sort_by=resource_id');
for (const [i, r] of firstResources.items.entries()) {
  await api(`/entities/resource/${encodeURIComponent(r.resource_id)}/tags`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tag_key: 'owner', tag_value: i === 0 ? 'team-payments' : 'team-search', created_by: 'test' }),
  });
}

// ---------------------------------------------------------------- the browser
mkdirSync(SHOTS, { recursive: true });
// launch() gives the browser a fresh temporary profile (its --user-data-dir) of its own.
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
context.setDefaultTimeout(60000);
context.setDefaultNavigationTimeout(60000);

const problems = [];
function watch(page) {
  // Requests in flight, so settled() knows when the page has stopped loading (faster and more
  // exact than a fixed network-idle pause).
  page.inflight = 0;
  page.on('request', () => { page.inflight++; });
  page.on('requestfinished', () => { page.inflight--; });
  page.on('requestfailed', () => { page.inflight--; });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return; // a newer view replaced it
    problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return page;
}

async function settled(page) {
  await page.waitForLoadState('load', { timeout: 60000 });
  let quiet = 0;
  await until(async () => {
    const idle = page.inflight <= 0 &&
      await page.evaluate(() => !document.querySelector('.loading, .boot, [data-state=loading]'));
    quiet = idle ? quiet + 1 : 0;
    return quiet >= 2;
  }, 60000, `${page.url()} to settle`);
}

const PAGES = ['dashboard', 'chargebacks', 'explorer', 'topic-attributions', 'billing', 'resources',
  'identities', 'tags', 'pipeline', 'focus', 'docs'];
const page = watch(await context.newPage());
const shots = [];
for (const [label, viewport] of [['desktop', { width: 1366, height: 900 }], ['narrow', { width: 390, height: 844 }]]) {
  await page.setViewportSize(viewport);
  for (const p of PAGES) {
    problems.length = 0;
    const t0 = Date.now();
    // Generous bounds: on a loaded machine Swagger UI's 1.7 MB bundle alone takes seconds.
    await page.goto(`${base}/${p}${p === 'docs' ? '' : '?tenant=acme'}`, { waitUntil: 'commit' });
    if (p === 'docs') await page.waitForSelector('.opblock', { timeout: 60000 });
    await settled(page);
    if (p === 'dashboard' && label === 'desktop') console.log(`dashboard rendered in ${Date.now() - t0} ms`);
    const file = `${p}-${label}.png`;
    await page.screenshot({ path: join(SHOTS, file), fullPage: true });
    shots.push(file);
    check(problems.length === 0, `${p} (${label}) loads with no console errors and no failed requests`, problems.join('\n     '));
    if (p !== 'docs') {
      const errors = await page.locator('[role=alert]').count();
      check(errors === 0, `${p} (${label}) shows no error panel`);
    }
  }
}
await page.setViewportSize({ width: 1366, height: 900 });

// Pages of the optional features find their routes in the engine's /openapi.json and show them
// (topic attribution, the cost-explorer graph and FOCUS exports are served now).
for (const p of ['explorer', 'topic-attributions', 'focus']) {
  await page.goto(`${base}/${p}?tenant=acme`);
  await settled(page);
  const feature = page.locator('[data-feature]');
  const state = await feature.getAttribute('data-state');
  const text = await feature.innerText();
  check(state === 'present' && /Routes on this engine/.test(text), `${p} finds its routes on the engine`, `${state}: ${text}`);
  check(!/No data for this view/.test(text), `${p} shows the answer of its routes, not "No data"`, text.slice(0, 300));
}

// ---------------------------------------------------------------- the cost explorer
// Exact amounts: "1234.5600" -> units of 0.0001 (BigInt), never a float.
const exact = (text) => {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(text ?? '');
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(text)}`);
  const v = BigInt(m[2]) * 10000n + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -v : v;
};
// The focus node and the rows as the page shows them (the exact amount is in data-amount, and
// the visible text must be the same digits with thousands separators).
const explorerState = (p) => p.evaluate(() => {
  const focus = document.querySelector('[data-focus-node]');
  const amountOf = (el) => {
    const a = el?.querySelector('[data-amount]');
    return a ? { amount: a.getAttribute('data-amount'), shown: a.textContent } : null;
  };
  return {
    state: document.querySelector('[data-panel=graph]')?.getAttribute('data-state'),
    text: document.querySelector('[data-panel=graph]')?.textContent ?? '',
    focus: focus && { id: focus.getAttribute('data-focus-node'), type: focus.getAttribute('data-type'),
      ...amountOf(focus.querySelector('[data-focus-cost]')) },
    rows: [...document.querySelectorAll('[data-node-row]')].map((r) => ({
      id: r.getAttribute('data-node-row'), type: r.getAttribute('data-type'),
      link: !!r.querySelector('a[data-focus-link]'), relationship: r.querySelector('[data-relationship]')?.textContent,
      ...amountOf(r.querySelector('[data-cost]')),
    })),
    crumbs: [...document.querySelectorAll('[data-breadcrumb] [data-crumb]')].map((c) => c.getAttribute('data-crumb')),
  };
});
const sortedDesc = (rows) => rows.every((r, i) => i === 0 || exact(rows[i - 1].amount) >= exact(r.amount));
const shownExactly = (x) => x && x.shown.replace(/,/g, '') === x.amount;
problems.length = 0;
await page.goto(`${base}/explorer?tenant=acme`);
await settled(page);
const root = await explorerState(page);
const explorerUrl = new URL(page.url());
check(root.state === 'ready' && !/No data/.test(root.text), 'the explorer shows the graph, not "No data"', `${root.state}: ${root.text.slice(0, 200)}`);
const envRows = root.rows.filter((r) => r.type === 'environment');
check(root.focus?.type === 'tenant' && envRows.length > 0 && envRows.length === root.rows.length,
  'the root view is the tenant node with its environments as rows', JSON.stringify(root).slice(0, 400));
const envSum = envRows.reduce((t, r) => t + exact(r.amount), 0n);
check(root.focus && exact(root.focus.amount) === envSum && envSum > 0n,
  'the tenant node\'s cost equals the exact sum of the environment rows', `${root.focus?.amount} vs ${envSum} units`);
check(shownExactly(root.focus) && envRows.every(shownExactly), 'explorer amounts are shown digit for digit');
check(sortedDesc(root.rows) && envRows.every((r) => r.link && r.relationship === 'child'),
  'environment rows are sorted by cost, largest first, each a drill-down link with its relationship');
const graphApi = await api(`/graph?${new URLSearchParams({
  start_date: explorerUrl.searchParams.get('start_date'), end_date: explorerUrl.searchParams.get('end_date'),
  timezone: explorerUrl.searchParams.get('timezone') })}`);
const apiEnvs = new Map(graphApi.nodes.slice(1).map((n) => [n.id, n.cost]));
check(graphApi.nodes[0].cost === root.focus?.amount && envRows.length === apiEnvs.size && envRows.every((r) => apiEnvs.get(r.id) === r.amount),
  'the explorer shows the nodes and costs of GET /graph for the URL\'s dates');

// Drill down into the costliest environment: focus= in the URL, the environment is the focus.
const env = envRows[0];
await Promise.all([
  page.waitForURL((u) => new URL(u).searchParams.get('focus') === env.id),
  page.click(`[data-node-row="${env.id}"] a[data-focus-link]`),
]);
await settled(page);
const envView = await explorerState(page);
await page.screenshot({ path: join(SHOTS, 'explorer-environment-desktop.png'), fullPage: true });
shots.push('explorer-environment-desktop.png');
check(envView.focus?.id === env.id && envView.focus?.type === 'environment' && envView.focus.amount === env.amount,
  'clicking an environment drills down: focus= in the URL, the environment is the focus with the same cost',
  `${page.url()} ${JSON.stringify(envView.focus)}`);
check(envView.state === 'ready' && sortedDesc(envView.rows) && envView.rows.length > 0 && envView.rows.every(shownExactly),
  'the environment view lists its resources by cost', JSON.stringify(envView.rows.slice(0, 3)));
check(envView.crumbs[0] === 'root' && envView.crumbs.at(-1) === env.id, 'the breadcrumb reads root › environment', envView.crumbs.join(' › '));
const envUrl = page.url();

// One level further: a cluster, whose breadcrumb shows its environment (found by parent_id).
const cluster = envView.rows.find((r) => r.link && r.type === 'kafka_cluster');
check(!!cluster, 'the environment has a cluster to drill into', JSON.stringify(envView.rows.map((r) => r.type)));
if (cluster) {
  await Promise.all([
    page.waitForURL((u) => new URL(u).searchParams.get('focus') === cluster.id),
    page.click(`[data-node-row="${cluster.id}"] a[data-focus-link]`),
  ]);
  await settled(page);
  const cv = await explorerState(page);
  await page.screenshot({ path: join(SHOTS, 'explorer-cluster-desktop.png'), fullPage: true });
  shots.push('explorer-cluster-desktop.png');
  // (An environment's parent, the organisation, is an entity too: root › org › env › cluster.)
  check(cv.focus?.id === cluster.id && cv.crumbs[0] === 'root' && cv.crumbs.slice(-2).join(' › ') === [env.id, cluster.id].join(' › '),
    'a cluster\'s breadcrumb is root › … › its environment › the cluster', cv.crumbs.join(' › '));
  check(cv.rows.some((r) => r.relationship?.includes('charge')) && cv.rows.every(shownExactly) && sortedDesc(cv.rows),
    'the cluster view lists the identities charged on it (relationship charge), by cost', JSON.stringify(cv.rows.slice(0, 3)));
  // The environment crumb goes back up one level.
  await Promise.all([
    page.waitForURL((u) => new URL(u).searchParams.get('focus') === env.id),
    page.click(`[data-breadcrumb] a[data-crumb="${env.id}"]`),
  ]);
  await settled(page);
  check((await explorerState(page)).focus?.id === env.id, 'the environment crumb goes back to the environment');
}

// A copied URL opens the same view; the browser's Back returns to the root.
const freshExplorer = watch(await context.newPage());
await freshExplorer.goto(envUrl);
await settled(freshExplorer);
const copiedView = await explorerState(freshExplorer);
check(copiedView.focus?.id === env.id && JSON.stringify(copiedView.rows) === JSON.stringify(envView.rows),
  'a copied explorer URL shows the same focus and rows');
await freshExplorer.close();

// The breadcrumb's root goes back to the tenant view.
await Promise.all([
  page.waitForURL((u) => !new URL(u).searchParams.has('focus')),
  page.click('[data-breadcrumb] a[data-crumb=root]'),
]);
await settled(page);
const back = await explorerState(page);
check(back.focus?.type === 'tenant' && JSON.stringify(back.rows) === JSON.stringify(root.rows),
  'the breadcrumb\'s root link goes back to the tenant and its environments', page.url());

// Search: jump to an entity by its id (an exact match comes first).
const needle = env.id;
await Promise.all([
  page.waitForRequest((r) => r.url().includes('/graph/search?') && r.url().includes(`q=${encodeURIComponent(needle)}`)),
  page.fill('input[name=search]', needle).then(() => page.press('input[name=search]', 'Enter')),
]);
await settled(page);
const hit = page.locator(`[data-panel=graph-search] a[data-focus-link="${env.id}"]`);
check(new URL(page.url()).searchParams.get('search') === needle && await hit.count() === 1,
  'the search box asks graph/search and lists the matching entity', page.url());
await Promise.all([page.waitForURL((u) => new URL(u).searchParams.get('focus') === env.id), hit.click()]);
await settled(page);
check((await explorerState(page)).focus?.id === env.id && !new URL(page.url()).searchParams.has('search'),
  'a search hit opens that entity as the focus', page.url());
check(problems.length === 0, 'the explorer: no console errors or failed requests', problems.join('\n     '));

// ---------------------------------------------------------------- topic attribution
problems.length = 0;
await page.goto(`${base}/topic-attributions?tenant=acme`);
await settled(page);
const taUrl = new URL(page.url());
const taAgg = await api(`/topic-attributions/aggregate?${new URLSearchParams({
  start_date: taUrl.searchParams.get('start_date'), end_date: taUrl.searchParams.get('end_date'), timezone: 'UTC' })}`);
const taShown = (await page.locator('[data-stat=topic-total] strong').innerText()).replace(/,/g, '');
const taRows = await page.locator('[data-grid=topic-attributions] tbody tr').count();
check(taShown === taAgg.total_amount && exact(taAgg.total_amount) > 0n && taRows > 0,
  'topic attribution shows the attributed total of the aggregate and the rows', `${taShown} vs ${taAgg.total_amount}, ${taRows} rows`);
check(await page.locator('[data-panel=by-topic] .bars li').count() > 0, 'topic attribution shows the cost by topic');
check(problems.length === 0, 'topic attribution: no console errors or failed requests', problems.join('\n     '));

// ---------------------------------------------------------------- FOCUS export
problems.length = 0;
await page.goto(`${base}/focus?tenant=acme`);
await settled(page);
check(await page.locator('[data-panel=focus-exports] [data-exports="0"]').count() === 1,
  'the FOCUS page lists the (still empty) exports of GET /focus/exports');
// A month with data: the tenant holds the last days before yesterday (lookback 6, cutoff 1).
const period = new Date(Date.now() - 3 * 86400000).toISOString().slice(0, 7);
await page.fill('input[name=billing_period]', period);
const [focusStart] = await Promise.all([
  page.waitForResponse((r) => r.url().endsWith('/focus/exports') && r.request().method() === 'POST'),
  page.click('[data-action=focus-export]'),
]);
check(focusStart.status() === 202, 'Start export answers 202', String(focusStart.status()));
const finished = await until(async () => {
  const s = await page.locator('[data-export]').first().getAttribute('data-status', { timeout: 1000 });
  return s && s !== 'running' ? s : null;
}, 120000, 'the FOCUS export to finish');
const focusJobs = await api('/focus/exports');
const shownJob = await page.locator('[data-export]').first().innerText();
check(finished === 'ready' && finished === focusJobs.exports[0].status && focusJobs.exports[0].rows > 0 &&
  shownJob.includes(period) && shownJob.includes(focusJobs.exports[0].rows.toLocaleString('en-US')) &&
  await page.locator('[data-export]').count() === focusJobs.exports.length,
'the FOCUS export of a month with data finishes and the page shows it as GET /focus/exports (status, rows)',
`${finished} ${JSON.stringify(focusJobs.exports[0]).slice(0, 300)}`);
if (finished === 'ready') {
  const file = focusJobs.exports[0].files.find((f) => f.name.endsWith('.csv')) ?? focusJobs.exports[0].files[0];
  const [fileDownload] = await Promise.all([page.waitForEvent('download'), page.click(`[data-file="${file.name}"]`)]);
  const got = readFileSync(await fileDownload.path());
  check(got.length === file.size_bytes, 'a FOCUS file downloads whole through the UI', `${got.length} vs ${file.size_bytes}`);
}
await page.screenshot({ path: join(SHOTS, 'focus-export-desktop.png'), fullPage: true });
shots.push('focus-export-desktop.png');
check(problems.length === 0, 'the FOCUS page: no console errors or failed requests', problems.join('\n     '));

// Dashboard total == the aggregate's total_amount for the same URL.
problems.length = 0;
await page.goto(`${base}/dashboard?tenant=acme`);
await settled(page);
const url = new URL(page.url());
check(url.searchParams.get('start_date') && url.searchParams.get('end_date') && url.searchParams.get('timezone') === 'UTC',
  'the dashboard writes its dates and time zone into the URL', page.url());
const aggQuery = new URLSearchParams({
  start_date: url.searchParams.get('start_date'), end_date: url.searchParams.get('end_date'), timezone: 'UTC',
});
const agg = await api(`/chargebacks/aggregate?${aggQuery}&group_by=identity_id&time_bucket=month`);
const shownTotal = (await page.locator('[data-stat=total] strong').innerText()).replace(/,/g, '');
check(shownTotal === agg.total_amount, 'dashboard total equals chargebacks/aggregate total_amount',
  `shown ${shownTotal}, aggregate ${agg.total_amount}`);
check(Number(agg.total_amount) > 0, 'the seeded tenant has costs', agg.total_amount);
const tagBars = await page.locator('[data-panel=tag-pivot] .bars li').allInnerTexts();
check(tagBars.some((t) => t.includes('team-payments')) && tagBars.some((t) => t.includes('UNTAGGED')),
  'the tag pivot shows the seeded owner tag and UNTAGGED', tagBars.join(' | '));

// Clicking an identity bar filters the dashboard (URL and request).
const topIdentity = (await page.locator('[data-panel=by-identity_id] .bars li').first().locator('.bar-label').innerText()).trim();
const [aggReq] = await Promise.all([
  page.waitForRequest((r) => r.url().includes('/chargebacks/aggregate') && r.url().includes(`identity_id=${encodeURIComponent(topIdentity)}`)),
  page.locator('[data-panel=by-identity_id] .bars li').first().click(),
]);
check(new URL(page.url()).searchParams.get('identity_id') === topIdentity && !!aggReq,
  'clicking a bar sets the filter in the URL and in the request', page.url());
await settled(page);
const filteredAgg = await api(`/chargebacks/aggregate?${aggQuery}&identity_id=${encodeURIComponent(topIdentity)}`);
const filteredShown = (await page.locator('[data-stat=total] strong').innerText()).replace(/,/g, '');
check(filteredShown === filteredAgg.total_amount, 'the filtered dashboard total equals the filtered aggregate',
  `${filteredShown} vs ${filteredAgg.total_amount}`);
check(problems.length === 0, 'dashboard interactions: no console errors or failed requests', problems.join('\n     '));

// Chargebacks: a filter typed into the bar changes the URL and the request.
await page.goto(`${base}/chargebacks?tenant=acme`);
await settled(page);
const [cbReq] = await Promise.all([
  page.waitForRequest((r) => /\/chargebacks\?/.test(r.url()) && r.url().includes('cost_type=usage')),
  page.selectOption('select[name=cost_type]', 'usage'),
]);
await settled(page);
check(new URL(page.url()).searchParams.get('cost_type') === 'usage' && !!cbReq,
  'changing the cost type filter changes the URL and the request', page.url());
await Promise.all([
  page.waitForRequest((r) => /\/chargebacks\?/.test(r.url()) && r.url().includes(`identity_id=${encodeURIComponent(topIdentity)}`)),
  page.fill('input[name=identity_id]', topIdentity).then(() => page.press('input[name=identity_id]', 'Enter')),
]);
await settled(page);
const rowsBefore = await page.locator('[data-grid=chargebacks] tbody tr').allInnerTexts();
check(rowsBefore.length > 0 && rowsBefore.every((t) => t.includes(topIdentity) && t.includes('usage')),
  'the grid shows only rows of the filtered identity and cost type', rowsBefore.slice(0, 2).join(' | '));

// Row click opens the detail drawer, and the selection goes into the URL.
await page.locator('[data-grid=chargebacks] tbody tr').first().click();
await page.waitForSelector('.drawer dl');
const selected = new URL(page.url()).searchParams.get('selected');
check(!!selected && (await page.locator('.drawer').innerText()).includes(topIdentity),
  'a row click opens the detail drawer and puts selected= in the URL', page.url());

// A copied URL in a fresh page shows the same view.
const copied = page.url();
const fresh = watch(await context.newPage());
await fresh.goto(copied);
await settled(fresh);
const rowsFresh = await fresh.locator('[data-grid=chargebacks] tbody tr').allInnerTexts();
check(JSON.stringify(rowsFresh) === JSON.stringify(rowsBefore) &&
  (await fresh.inputValue('input[name=identity_id]')) === topIdentity &&
  (await fresh.inputValue('select[name=cost_type]')) === 'usage' &&
  (await fresh.locator('.drawer').count()) === 1,
'a copied URL opened in a fresh page shows the same rows, filters and drawer');
await fresh.close();

// CSV export: exactly the visible filters, and its amounts sum to the aggregate.
await page.goto(copied.replace(/&?selected=[^&]*/, ''));
await settled(page);
const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=export]')]);
const csv = readFileSync(await download.path(), 'utf8');
const lines = csv.trim().split(/\r?\n/);
const header = lines[0].split(',');
const amountCol = header.indexOf('amount');
let units = 0n;
for (const line of lines.slice(1)) {
  const [whole, frac = ''] = line.split(',')[amountCol].split('.');
  units += BigInt(whole) * 10000n + BigInt(frac.padEnd(4, '0'));
}
const exported = `${units / 10000n}.${(units % 10000n).toString().padStart(4, '0')}`;
const expAgg = await api(`/chargebacks/aggregate?${aggQuery}&identity_id=${encodeURIComponent(topIdentity)}&cost_type=usage`);
check(amountCol >= 0 && exported === expAgg.total_amount && lines.length > 1,
  'the exported CSV sums to the aggregate for the same filters', `${exported} vs ${expAgg.total_amount} (${lines.length - 1} rows)`);
check(download.suggestedFilename().endsWith('.csv'), 'the export downloads a .csv file', download.suggestedFilename());

// Sorting a grid column sends the sort to the server and changes the first row.
await page.goto(`${base}/resources?tenant=acme`);
await settled(page);
const firstRow = () => page.locator('[data-grid=resources] tbody tr').first().innerText();
const unsorted = await firstRow();
const [ascReq] = await Promise.all([
  page.waitForRequest((r) => r.url().includes('sort_by=resource_id') && r.url().includes('sort_order=asc')),
  page.click('[data-sort=resource_id]'),
]);
await settled(page);
const [descReq] = await Promise.all([
  page.waitForRequest((r) => r.url().includes('sort_by=resource_id') && r.url().includes('sort_order=desc')),
  page.click('[data-sort=resource_id]'),
]);
await settled(page);
const descFirst = await firstRow();
const apiDesc = await api('/resources?sort_by=resource_id&sort_order=desc&page_size=1');
check(!!ascReq && !!descReq && descFirst !== unsorted && descFirst.startsWith(apiDesc.items[0].resource_id),
  'sorting a column sends sort_by/sort_order and the first row becomes the server\'s first',
  `${unsorted.split('\t')[0]} -> ${descFirst.split('\t')[0]} (server: ${apiDesc.items[0].resource_id})`);
check(new URL(page.url()).searchParams.get('order') === 'desc', 'the sort is in the URL', page.url());

// The chargebacks grid sorts on the server as well: by amount, largest first.
const sortedResourcesUrl = page.url();
await page.goto(`${base}/chargebacks?tenant=acme`);
await settled(page);
const cbFirst = () => page.locator('[data-grid=chargebacks] tbody tr').first().innerText();
const cbUnsorted = await cbFirst();
await Promise.all([
  page.waitForRequest((r) => /\/chargebacks\?/.test(r.url()) && r.url().includes('sort_by=amount') && r.url().includes('sort_order=asc')),
  page.click('[data-sort=amount]'),
]);
await settled(page);
const [cbDescReq] = await Promise.all([
  page.waitForRequest((r) => /\/chargebacks\?/.test(r.url()) && r.url().includes('sort_by=amount') && r.url().includes('sort_order=desc')),
  page.click('[data-sort=amount]'),
]);
await settled(page);
const cbDescFirst = await cbFirst();
const cbParams = new URL(cbDescReq.url()).searchParams;
cbParams.set('page_size', '1');
cbParams.delete('page');
const cbApi = await api(`/chargebacks?${cbParams}`);
const cbTop = cbApi.items[0];
const cbTopShown = cbTop.amount.replace(/\B(?=(\d{3})+(?!\d))(?=[^.]*\.)/g, ',');
check(cbDescFirst !== cbUnsorted && cbDescFirst.includes(cbTop.identity_id) && cbDescFirst.includes(cbTopShown),
  'sorting the chargebacks grid by amount asks the server and shows its largest row first',
  `${cbUnsorted.split('\t').slice(0, 2).join(' ')} -> ${cbDescFirst.split('\t').slice(0, 2).join(' ')} (server: ${cbTop.identity_id} ${cbTop.amount})`);
check(new URL(page.url()).searchParams.get('sort') === 'amount', 'the chargebacks sort is in the URL', page.url());
await page.goto(sortedResourcesUrl);
await settled(page);

// Tag editor: add a tag in the drawer.
await page.locator('[data-grid=resources] tbody tr').first().click();
await page.waitForSelector('.tag-editor form');
await page.fill('input[name=new_tag_key]', 'team');
await page.fill('input[name=new_tag_value]', 'ui-test');
await page.click('.tag-editor button[type=submit]');
await page.waitForFunction(() => document.querySelector('.tag-editor')?.textContent?.includes('team=ui-test'));
check(true, 'the tag editor adds a tag');

// Pipeline: the run button starts a run.
await page.goto(`${base}/pipeline?tenant=acme`);
await settled(page);
const [runRes] = await Promise.all([
  page.waitForResponse((r) => r.url().endsWith('/pipeline/run')),
  page.click('[data-action=run-pipeline]'),
]);
check([200, 202].includes(runRes.status()), 'Run pipeline answers 202/200', String(runRes.status()));
await context.close();

// ---------------------------------------------------------------- with api.auth_token
await until(async () => (await fetch(`${authBase}/ready`)).status === 200, 30000, 'the engine with a token');
const closed = await fetch(`${authBase}/api/v1/tenants/acme/chargebacks/aggregate`);
const closedTenants = await fetch(`${authBase}/api/v1/tenants`);
const uiOpen = await fetch(`${authBase}/dashboard`);
check(closed.status === 401 && closedTenants.status === 401 && uiOpen.status === 200,
  'with auth_token the API answers 401 without the token, the UI shell loads',
  `${closed.status} ${closedTenants.status} ${uiOpen.status}`);
const authContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
authContext.setDefaultTimeout(60000);
authContext.setDefaultNavigationTimeout(60000);
const authPage = watch(await authContext.newPage());
const authRequests = [];
authPage.on('request', (r) => authRequests.push(r.url()));
base = authBase;
await authPage.goto(`${base}/dashboard?tenant=acme`);
await authPage.waitForSelector('.modal input[name=token]', { timeout: 60000 });
await authPage.screenshot({ path: join(SHOTS, 'token-prompt-desktop.png') });
shots.push('token-prompt-desktop.png');
await authPage.fill('.modal input[name=token]', TOKEN);
await authPage.click('.modal button[type=submit]');
await authPage.waitForSelector('[data-stat=total] strong', { timeout: 60000 });
await settled(authPage);
const authTotal = (await authPage.locator('[data-stat=total] strong').innerText()).replace(/,/g, '');
const authAgg = await (await fetch(`${base}/api/v1/tenants/acme/chargebacks/aggregate?${new URL(authPage.url()).searchParams.has('start_date') ? new URLSearchParams({
  start_date: new URL(authPage.url()).searchParams.get('start_date'), end_date: new URL(authPage.url()).searchParams.get('end_date'), timezone: 'UTC',
}) : ''}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
check(authTotal === authAgg.total_amount, 'after the token prompt the dashboard works', `${authTotal} vs ${authAgg.total_amount}`);
check(authRequests.every((u) => !u.includes(TOKEN)), 'the token never appears in a URL');
// Navigating within the tab does not ask again.
await authPage.click('nav a[href^="/chargebacks"]');
await settled(authPage);
check(await authPage.locator('.modal').count() === 0 && await authPage.locator('[data-grid=chargebacks] tbody tr').count() > 0,
  'the token is asked for once per tab');
await authContext.close();
await browser.close();

console.log(`\nscreenshots in ${SHOTS}: ${shots.join(' ')}`);
console.log(`${checks - failures}/${checks} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures === 0 ? 0 : 1);
