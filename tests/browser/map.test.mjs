#!/usr/bin/env node
// Browser test of the map view at the size monitors use: the Idlib demo plus 5 000 generated
// incidents (six of them stacked at one point), at 1440x900 and 390x844. Checks that group
// circles sit on their groups' positions, that grouping goes on while zooming in (one Tab
// stop among the markers), that popups stay through autopan and reloads, that each of the
// six stacked incidents opens, uncertainty rings and ± texts, shapes and sizes, labels of
// the towns incidents name, scale bar, zoom cap, centre and zoom in the address, Escape,
// named zone outlines, and the list of incidents in view. Reports (does not assert) the
// marker build times.
//
//   node tests/browser/map.test.mjs --truce build/x/apps/truce --web web/dist --out /tmp/shots
import { join } from 'node:path';
import { generatedAcled, harness } from './harness.mjs';

const h = await harness('map');
const { check } = h;
const STACK_AT = [35.72, 36.98]; // an empty spot east of Maarrat al-Numan: only six stacked incidents are there
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const timings = [];

let base = '';
await h.step('a demo database with 5 000 generated incidents, ruled', async () => {
  h.demoDb('demo.db');
  // Six stacked at the province centre, among the tenth of all placed there, as ACLED does.
  h.ingest('demo.db', 'generated.csv', generatedAcled({ count: 5000, stack: 6 }));
  // And six alone at one point, on days two or more apart in January 2021 (after the
  // generated year), so that reconciliation merges none of them with another report.
  h.ingest('demo.db', 'stack.csv', generatedAcled({ count: 6, stack: 6, stackAt: STACK_AT, from: '2021-01-04',
    to: '2021-01-30', prefix: 'SYR-STACK', seed: 2 }));
  h.run(['rule', '--db', h.path('demo.db')]);
  base = await h.serve('demo.db');
});

/** Opens the map at this centre and zoom (and filters) and waits for the incidents of that view. */
async function openMap(page, lat, lon, zoom, filters = '') {
  await page.goto('about:blank');
  await page.goto(`${base}#/map?c=${lat},${lon}&z=${zoom}${filters}`);
  await page.waitForSelector('#map[data-loaded="true"]');
  await settle(page);
}

/** Waits until the map's last load is for its current view (no request in flight). */
async function settle(page) {
  await page.waitForFunction(() => {
    const el = document.getElementById('map');
    const map = el && el.truceMap;
    if (!map || !el.dataset.query) return false;
    const q = new URLSearchParams(el.dataset.query);
    const b = map.getBounds();
    const want = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(4)).join(',');
    return el.dataset.view === want && q.get('zoom') === String(Math.round(map.getZoom()))
      && !/Loading/.test(document.querySelector('.map-status').textContent);
  });
}

/** Every marker on screen: its centre against where Leaflet puts its data-lat/data-lon. */
async function markerOffsets(page, selector) {
  return page.evaluate((sel) => {
    const el = document.getElementById('map');
    const map = el.truceMap;
    const box = el.getBoundingClientRect();
    const out = [];
    for (const m of el.querySelectorAll(sel)) {
      const r = m.getBoundingClientRect();
      if (r.right < box.left || r.left > box.right || r.bottom < box.top || r.top > box.bottom) continue;
      const p = map.latLngToContainerPoint([Number(m.dataset.lat), Number(m.dataset.lon)]);
      const dx = r.left + r.width / 2 - (box.left + p.x);
      const dy = r.top + r.height / 2 - (box.top + p.y);
      out.push({ key: m.dataset.key, off: Math.hypot(dx, dy) });
    }
    return out;
  }, selector);
}

async function buildTime(page, what) {
  const t = await page.$eval('#map', (e) => ({ ms: Number(e.dataset.buildMs), markers: Number(e.dataset.markers),
    status: document.querySelector('.map-status').textContent }));
  timings.push(`${what}: ${t.ms} ms for ${t.markers} markers (${t.status})`);
  return t;
}

for (const [size, vp] of [['1440x900', DESKTOP], ['390x844', PHONE]]) {
  await h.step(`${size}: every group circle is centred on its group's position, zoomed out and in`, async () => {
    const page = await h.page(vp);
    let groups = 0;
    for (const z of [8, 9, 10, 11]) {
      await openMap(page, 35.8, 36.65, z);
      await buildTime(page, `${size} zoom ${z}`);
      const offs = await markerOffsets(page, '.cluster-marker');
      groups += offs.length;
      const bad = offs.filter((o) => o.off > 2);
      check(bad.length === 0, `zoom ${z}: ${bad.length} of ${offs.length} groups off their position, e.g. ${JSON.stringify(bad.slice(0, 3))}`);
      const inc = await markerOffsets(page, '.inc-marker');
      check(inc.every((o) => o.off <= 2), `zoom ${z}: incident markers on their points`);
    }
    check(groups >= 10, `groups were drawn (${groups})`);
    await page.screenshot({ path: join(h.args.out, `map-groups-${size}.png`) });
    await page.context().close();
  });
}

await h.step('zoomed in until the server sends 1 000+ points, they are grouped here, on their positions, one Tab stop', async () => {
  const page = await h.page(DESKTOP);
  await openMap(page, 35.80, 36.40, 11.5);
  const sent = await page.$eval('#map', (e) => ({ clustered: e.dataset.clustered, points: Number(e.dataset.points) }));
  check(sent.clustered === 'false' && sent.points >= 1000, `the server sent points: ${JSON.stringify(sent)}`);
  const t = await buildTime(page, `1440x900 zoom 11.5, ${sent.points} points grouped in the browser`);
  const m = await page.$$eval('#map .leaflet-marker-icon[data-key]', (els) => ({
    all: els.length, incidents: els.filter((e) => e.dataset.kind === 'incident').length,
    groups: els.filter((e) => e.dataset.kind !== 'incident').length,
    tabStops: els.filter((e) => e.tabIndex === 0).length,
  }));
  check(m.groups > 0 && m.all <= 400 && m.all === t.markers, `${sent.points} points drawn as ${JSON.stringify(m)}`);
  const offs = await markerOffsets(page, '.leaflet-marker-icon[data-key]');
  check(offs.length > 0 && offs.every((o) => o.off <= 2), `on their positions: ${JSON.stringify(offs.filter((o) => o.off > 2).slice(0, 3))}`);
  check(m.tabStops === 1, `one Tab stop among ${m.all} markers, got ${m.tabStops}`);
  // Arrow keys move between markers; the Tab stop follows.
  await page.focus('#map .leaflet-marker-icon[tabindex="0"]');
  const first = await page.evaluate(() => document.activeElement.dataset.key);
  await page.keyboard.press('ArrowRight');
  const second = await page.evaluate(() => ({ key: document.activeElement.dataset.key, tab: document.activeElement.tabIndex }));
  check(second.key && second.key !== first && second.tab === 0, `ArrowRight moved focus: ${first} -> ${JSON.stringify(second)}`);
  check(await page.$$eval('#map .leaflet-marker-icon[tabindex="0"]', (e) => e.length) === 1, 'still one Tab stop');
  await page.context().close();
});

await h.step('centre and zoom are in the address and restored on load; zoom stops at 12; scale bar', async () => {
  const page = await h.page(DESKTOP);
  await openMap(page, 35.9, 36.7, 10);
  const v = await page.evaluate(() => { const m = document.getElementById('map').truceMap; return { c: m.getCenter(), z: m.getZoom() }; });
  check(v.z === 10 && Math.abs(v.c.lat - 35.9) < 0.001 && Math.abs(v.c.lng - 36.7) < 0.001, `restored view ${JSON.stringify(v)}`);
  await page.evaluate(() => document.getElementById('map').truceMap.setView([35.8, 36.6], 11));
  await settle(page);
  check(/[?&]c=35\.8000,36\.6000/.test(page.url()) && /[?&]z=11\b/.test(page.url()), `address follows the map: ${page.url()}`);
  await openMap(page, 35.8, 36.6, 14);
  check(await page.evaluate(() => document.getElementById('map').truceMap.getZoom()) === 12, 'zoom capped at 12');
  check(await page.evaluate(() => document.getElementById('map').truceMap.getMaxZoom()) <= 12, 'no zoom past 12');
  const scale = await page.textContent('.leaflet-control-scale-line');
  check(/\d+ (m|km)/.test(scale), `scale bar: ${scale}`);
  await page.context().close();
});

await h.step('labels: the towns incidents name (Idlib, Saraqib, Ariha, Maarrat al-Numan) and the agreement\'s places', async () => {
  const page = await h.page(DESKTOP);
  await openMap(page, 35.8, 36.65, 9);
  await page.waitForSelector('.leaflet-tooltip.place-name');
  const labels = await page.$$eval('.leaflet-tooltip.place-name', (els) => els.map((e) => e.textContent));
  for (const town of ['Idlib', 'Saraqib', 'Ariha', 'Maarrat al-Numan']) check(labels.includes(town), `${town} labelled: ${labels.join(', ')}`);
  const own = await page.$$eval('.leaflet-tooltip.place-name-place', (els) => els.length);
  timings.push(`labels at zoom 9: ${labels.length} (${own} of the agreement's places)`);
  await page.context().close();
});

await h.step('zone outlines are named', async () => {
  const page = await h.page(DESKTOP);
  await openMap(page, 35.8, 36.65, 8);
  const zones = await page.$$eval('.leaflet-overlay-pane path[data-zone]', (ps) => ps.map((p) => ({
    label: p.getAttribute('aria-label'), title: p.querySelector('title')?.textContent })));
  check(zones.length >= 1, 'zones drawn');
  check(zones.every((z) => /^Zone: \S/.test(z.label || '') && z.title), `named: ${JSON.stringify(zones)}`);
  await page.context().close();
});

await h.step('downloads under the map carry its filters', async () => {
  const page = await h.page(DESKTOP);
  await openMap(page, 35.8, 36.65, 8, '&status=violation');
  const hrefs = await page.$$eval('.exports a[data-export]', (as) => as.map((a) => a.getAttribute('href') || ''));
  check(hrefs.length === 2, `the CSV links: ${JSON.stringify(hrefs)}`);
  check(hrefs.every((u) => /format=csv/.test(u) && /status=violation/.test(u)), `filters in the links: ${JSON.stringify(hrefs)}`);
  check(await page.$$eval('.exports button[data-export]', (bs) => bs.length) === 2, 'the GeoJSON buttons');
  await page.context().close();
});

// Around Jisr al-Shughur at zoom 12 fewer than 2 000 incidents are in view: the server sends points.
const JISR = [35.80, 36.32];

await h.step('markers: shaped by status and sized by deaths; the legend shows both', async () => {
  const page = await h.page(DESKTOP);
  // Two months: few enough incidents in view to be drawn one by one.
  await openMap(page, ...JISR, 12, '&from=2020-06-01&to=2020-07-31');
  const ms = await page.$$eval('#map .inc-marker', (els) => els.map((e) => ({
    status: e.dataset.status, w: e.getBoundingClientRect().width, d: e.querySelector('.shape').getAttribute('d'),
    fill: getComputedStyle(e.querySelector('.shape')).fill, label: e.getAttribute('aria-label') })));
  check(ms.length > 5, `incident markers at zoom 12: ${ms.length}`);
  const byStatus = new Map();
  for (const m of ms) byStatus.set(m.status, m.d);
  const shapes = new Set(byStatus.values());
  check(byStatus.size >= 2 && shapes.size === byStatus.size, `one shape per status: ${JSON.stringify([...byStatus])}`);
  const v = ms.find((m) => m.status === 'violation');
  check(v && v.fill === 'rgb(215, 38, 61)', `violation fill ${v && v.fill}`);
  const killed = (m) => Number((/, (\d+) killed/.exec(m.label) || [0, 0])[1]);
  // Never smaller for more deaths, and visibly larger for the most.
  const sized = ms.map((m) => ({ k: killed(m), w: m.w })).sort((a, b) => a.k - b.k || a.w - b.w);
  check(sized.every((m, i) => i === 0 || m.w >= sized[i - 1].w), `size grows with deaths: ${JSON.stringify(sized)}`);
  const few = sized[0];
  const most = sized[sized.length - 1];
  check(most.k >= 2 && most.w >= few.w + 4, `the most deaths (${most.k}) drawn larger: ${few.w} vs ${most.w}`);
  const legend = await page.$$eval('.map-legend .shape-icon', (e) => e.length);
  check(legend >= 6, `legend shapes: ${legend}`);
  await page.context().close();
});

await h.step('six incidents at one point: a list, each opens; ring and ± for the imprecise point', async () => {
  const page = await h.page(DESKTOP);
  await openMap(page, STACK_AT[0], STACK_AT[1], 11);
  const sel = `.stack-marker[data-lat="${STACK_AT[0]}"][data-lon="${STACK_AT[1]}"]`;
  await page.waitForSelector(sel);
  check(await page.$eval(sel, (e) => e.dataset.count) === '6', 'the stack counts six');
  // The ring's radius is the places' uncertainty (ACLED precision 3: 50 km).
  const ring = await page.evaluate(([lat, lon]) => {
    const el = document.getElementById('map');
    const map = el.truceMap;
    const r = el.querySelector(`.uncertainty-ring[data-lat="${lat}"][data-lon="${lon}"]`);
    if (!r) return null;
    const radiusM = Number(r.dataset.radiusM);
    const c = map.latLngToContainerPoint([lat, lon]);
    const n = map.latLngToContainerPoint([lat + radiusM / 111320, lon]);
    return { radiusM, wantPx: c.distanceTo(n), gotPx: r.getBBox().height / 2 };
  }, STACK_AT);
  check(ring && ring.radiusM === 50000, `a 50 km ring: ${JSON.stringify(ring)}`);
  check(Math.abs(ring.gotPx - ring.wantPx) / ring.wantPx < 0.1, `ring radius on screen ${JSON.stringify(ring)}`);
  await page.click(sel);
  await page.waitForSelector('.list-popup .stack-item');
  const ids = await page.$$eval('.list-popup .stack-item', (b) => b.map((x) => x.dataset.incident));
  check(ids.length === 6 && new Set(ids).size === 6, `six listed: ${ids}`);
  check(/± 50\.0 km/.test(await page.textContent('.list-popup')), 'the list says ± 50 km');
  for (const id of ids) {
    await page.click(`.list-popup .stack-item[data-incident="${id}"]`);
    await page.waitForSelector(`.list-popup .incident-popup[data-incident="${id}"]`);
    check(/± 50\.0 km/.test(await page.textContent('.incident-popup .precision')), 'precision in the popup');
    await page.click('.list-popup .back-to-list');
    await page.waitForSelector('.list-popup .stack-item');
  }
  await page.screenshot({ path: join(h.args.out, 'map-stack.png') });
  // On the incident's page, distances to a zone's edge carry the ±.
  await page.goto(`${base}#/incident/${ids[0]}`);
  await page.waitForSelector('.finding-list, .incident-grid');
  const text = await page.textContent('main');
  if (/Distance to zone edge/.test(text)) check(/(inside|outside|edge) ± 50\.0 km/.test(text), 'distance qualified by ±');
  await page.context().close();
});

await h.step('390x844: a popup stays open 2 s later, after its autopan and after a pan that reloads', async () => {
  const page = await h.page(PHONE, { isMobile: true, hasTouch: true });
  await openMap(page, 35.86, 36.80, 12);
  // The lowest incident marker on the map: its popup must pan the map to fit.
  const key = await page.evaluate(() => {
    const el = document.getElementById('map');
    const box = el.getBoundingClientRect();
    const ms = [...el.querySelectorAll('.inc-marker')].map((m) => ({ m, r: m.getBoundingClientRect() }))
      .filter(({ r }) => r.top > box.top && r.bottom < box.bottom && r.left > box.left && r.right < box.right)
      .filter(({ m, r }) => m.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)))
      .sort((a, b) => b.r.top - a.r.top);
    return ms.length ? ms[0].m.dataset.key : null;
  });
  check(key, 'an incident marker in view');
  const before = await page.evaluate(() => document.getElementById('map').truceMap.getCenter());
  await page.tap(`.inc-marker[data-key="${key}"]`);
  await page.waitForSelector('.leaflet-popup .incident-popup');
  await page.waitForTimeout(2000);
  await settle(page);
  const after = await page.evaluate(() => document.getElementById('map').truceMap.getCenter());
  check(before.lat !== after.lat || before.lng !== after.lng, 'the popup panned the map');
  check(await page.$('.leaflet-popup .incident-popup') !== null, 'popup still open 2 s after opening (and after its autopan)');
  await page.evaluate(() => document.getElementById('map').truceMap.panBy([0, 40], { animate: false }));
  await settle(page);
  check(await page.$('.leaflet-popup .incident-popup') !== null, 'popup still open after a pan that reloaded the markers');
  await page.screenshot({ path: join(h.args.out, 'map-phone-popup.png') });
  await page.context().close();
});

await h.step('Escape closes a popup and returns focus to its marker', async () => {
  const page = await h.page(DESKTOP);
  await openMap(page, ...JISR, 12, '&from=2020-06-01&to=2020-07-31');
  await page.focus('#map .leaflet-marker-icon[tabindex="0"]');
  for (let i = 0; i < 20 && await page.evaluate(() => document.activeElement.dataset.kind) !== 'incident'; i++) {
    await page.keyboard.press('ArrowRight');
  }
  const key = await page.evaluate(() => document.activeElement.dataset.key);
  check(await page.evaluate(() => document.activeElement.dataset.kind) === 'incident', 'an incident marker focused');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.leaflet-popup .incident-popup');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.leaflet-popup'));
  check(await page.evaluate(() => document.activeElement.dataset.key) === key, 'focus back on the marker');
  await page.context().close();
});

for (const [size, vp] of [['1440x900', DESKTOP], ['390x844', PHONE]]) {
  await h.step(`${size}: the list of incidents in view follows the map and opens popups by keyboard`, async () => {
    const page = await h.page(vp);
    await openMap(page, ...JISR, 12);
    const rows = await page.$$eval('.in-view-row', (r) => r.map((x) => x.dataset.incident));
    const onMap = await page.evaluate(() => {
      const map = document.getElementById('map').truceMap;
      return map.getBounds();
    });
    check(rows.length > 0, 'rows listed');
    check(await page.$$eval('.in-view-row[tabindex="0"]', (r) => r.length) === 1, 'one Tab stop in the list');
    const listBox = await page.$eval('.map-list', (e) => e.getBoundingClientRect().toJSON());
    const mapBox = await page.$eval('#map', (e) => e.getBoundingClientRect().toJSON());
    if (vp.width > 720) check(listBox.left >= mapBox.right - 1, `list beside the map: ${JSON.stringify([listBox, mapBox])}`);
    else check(listBox.top >= mapBox.bottom - 1, `list below the map: ${JSON.stringify([listBox, mapBox])}`);
    await page.focus('.in-view-row[tabindex="0"]');
    await page.keyboard.press('ArrowDown');
    const id = await page.evaluate(() => document.activeElement.dataset.incident);
    check(id && id === rows[1], `ArrowDown moves to the second row (${id})`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.leaflet-popup .incident-popup[data-incident="${id}"]`);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('.leaflet-popup'));
    check(await page.evaluate(() => document.activeElement.dataset.incident) === id, 'focus back on the row');
    check(onMap, 'map bounds');
    // Moving the map changes the list.
    await page.evaluate(() => document.getElementById('map').truceMap.setView([35.69, 36.50], 12, { animate: false }));
    await settle(page);
    const moved = await page.$$eval('.in-view-row', (r) => r.map((x) => x.dataset.incident));
    check(moved.length > 0 && moved.join() !== rows.join(), 'the list follows the map');
    await page.screenshot({ path: join(h.args.out, `map-list-${size}.png`), fullPage: true });
    await page.context().close();
  });
}

await h.step('the demo alone: the Kansafra violation still on the map', async () => {
  const page = await h.page(DESKTOP);
  await page.goto(`${base}#/map?from=2020-03-15&to=2020-03-15`);
  await page.waitForSelector('#map[data-loaded="true"]');
  await settle(page);
  const k = await page.$$eval('.inc-marker[data-status="violation"]', (els) => els.filter((e) => /Kansafra/.test(e.getAttribute('aria-label'))).length);
  const g = await page.$$eval('.cluster-marker', (els) => els.length);
  check(k + g > 0, `Kansafra shown (${k} markers, ${g} groups)`);
  await page.context().close();
});

for (const t of timings) console.log(`# ${t}`);
await h.done();
