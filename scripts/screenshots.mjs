#!/usr/bin/env node
// Screenshots of every dashboard view for docs/dashboard.md, at a desktop size (1440x900)
// and a phone size (390x844): the map, an incident's popup, the timeline brushed, the
// findings table, an incident's page, the agreement and the extract page. Runs the Idlib
// demo into a temporary database and a `truce serve` on it through the browser tests'
// harness (tests/browser/harness.mjs), so it needs the same: a built truce, a built
// dashboard (npm run build) and Debian's Chromium.
//
//   node scripts/screenshots.mjs --truce build/x/apps/truce [--web web/dist] [--out docs/images]
//
// Writes docs/images/dashboard-VIEW.png (desktop) and dashboard-VIEW-phone.png. A view
// that cannot be shot is reported and the others are still taken; the exit code is then 1.
import { join } from 'node:path';
import { harness, repo } from '../tests/browser/harness.mjs';

const argv = process.argv.slice(2);
if (!argv.includes('--out')) argv.push('--out', join(repo, 'docs', 'images'));
const h = await harness('screenshots', argv);
h.demoDb('demo.db');
const base = await h.serve('demo.db');

// The demo's Kansafra violation of 15 March 2020: the incident the popup and detail show.
const found = await (await fetch(new URL('api/v1/incidents?agreement=idlib-2020-protocol&status=violation&limit=1000', base))).json();
const kansafra = found.items.find((i) => i.location === 'Kansafra' && i.date === '2020-03-15');
if (!kansafra) throw new Error('the demo has no Kansafra violation on 15 March 2020');

// Not from any corpus: a report about the village the gazetteer lacks.
const REPORT = `Artillery hits Kansafra as truce frays
BEIRUT, March 15 (Test Wire) - Government artillery shelled the village of Kansafra in southern Idlib on Sunday, killing three civilians and wounding five others, a local rescue group said.
The Turkish Defence Ministry said two of its soldiers were wounded near Saraqib on Saturday.`;

async function mapReady(page) {
  await page.waitForSelector('#map[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('.inc-marker, .cluster-marker', { timeout: 30000 });
  await page.waitForLoadState('networkidle');
}

async function open(page, hash) {
  await page.goto('about:blank');
  await page.goto(`${base}${hash}`);
}

const VIEWS = {
  async map(page) {
    await open(page, '#/map');
    await mapReady(page);
  },
  async 'map-popup'(page) {
    await open(page, '#/map');
    await mapReady(page);
    const marker = await page.$(`.inc-marker[data-incident="${kansafra.id}"]`) ?? await page.$('.inc-marker');
    await marker.click();
    await page.waitForSelector('.incident-popup');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1');
  },
  async 'timeline-brush'(page) {
    await open(page, '#/map');
    await mapReady(page);
    await page.waitForSelector('.timeline-chart .u-over');
    const over = await page.$('.timeline-chart .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = await over.boundingBox();
    const y = box.y + box.height / 2;
    // About the first third of the series: the weeks around entry into force.
    await page.mouse.move(box.x + box.width * 0.05, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, y, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.35, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => /[?&]to=/.test(location.hash), null, { timeout: 5000 });
    await page.waitForLoadState('networkidle');
    await page.mouse.move(0, 0);
    return { fullPage: true };
  },
  async findings(page) {
    await open(page, '#/findings?agreement=idlib-2020-protocol');
    await page.waitForSelector('.findings-table[data-loaded="true"]');
  },
  async incident(page) {
    await open(page, `#/incident/${kansafra.id}`);
    await page.waitForSelector('.finding .reason');
    await page.waitForLoadState('networkidle');
    return { fullPage: true };
  },
  async agreement(page) {
    await open(page, '#/agreement?agreement=idlib-2020-protocol&as_of=2020-04-01');
    await page.waitForSelector('.obligation-table tbody tr');
    return { fullPage: true };
  },
  async extract(page) {
    await open(page, '#/extract');
    await page.fill('#extract-text', REPORT);
    await page.fill('#extract-published', '2020-03-16');
    await page.click('form.extract-form button[type="submit"]');
    await page.waitForSelector('#x-events');
    await page.evaluate(() => document.activeElement?.blur());
    return { fullPage: true };
  },
};

const SIZES = [
  { suffix: '', viewport: { width: 1440, height: 900 }, options: {} },
  { suffix: '-phone', viewport: { width: 390, height: 844 }, options: { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } },
];

const failed = [];
for (const size of SIZES) {
  const page = await h.page(size.viewport, size.options);
  for (const [view, shoot] of Object.entries(VIEWS)) {
    const file = join(h.args.out, `dashboard-${view}${size.suffix}.png`);
    try {
      const how = (await shoot(page)) ?? {};
      await page.screenshot({ path: file, ...how });
      console.log(`wrote ${file}`);
    } catch (e) {
      failed.push(`${view}${size.suffix}: ${String(e.message || e).split('\n')[0]}`);
      console.log(`FAILED ${view}${size.suffix}: ${e.message || e}`);
    }
  }
}
if (h.pageErrors.length) failed.push(`page errors: ${h.pageErrors.join('; ')}`);
await h.close();
if (failed.length) {
  console.log(`${failed.length} failed:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}
