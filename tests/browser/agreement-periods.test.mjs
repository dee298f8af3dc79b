// The agreement view of an agreement extended inline and by an extension
// document after a lapse: its "In force" list shows each period and the lapse;
// the extension document links back to the agreement it extends; obligations
// with one deadline per item are listed an item a row; and the dashboard's
// default agreement is never an extension document.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness } from './harness.mjs';

const h = await harness('agreement-periods');
const { check, step } = h;

const pause = `id: pause
title: Humanitarian pause
timezone: Asia/Gaza
entry_into_force: 2023-11-24T07:00
end: +4d
extensions:
  - {until: 2023-11-30T07:00, signed: 2023-11-27, source: "mediators' statement"}
actors: {army: {name: Army}, group: {name: Group}}
sides: {one: {actors: [army]}, two: {actors: [group]}}
zones: {strip: {circle: {center: [31.4, 34.4], radius_km: 25}}}
provisions:
  - {id: art1, article: Art. 1, prohibits: [Battles], where: strip}
  - id: art2
    article: Art. 2
    obligation: other
    by: [one]
    items:
      - {id: first, name: First exchange, due: +1d}
      - {id: second, name: Second exchange, due: day 3}
`;
const ext = `id: pause-ext-2
title: Second extension of the pause
extends: pause
signed: 2023-11-30
timezone: Asia/Gaza
entry_into_force: 2023-12-01T07:00
end: 2023-12-02T07:00
`;

let base = '';
let page = null;
await step('an extended agreement and its extension document are stored and served', async () => {
  writeFileSync(h.path('pause.yaml'), pause);
  writeFileSync(h.path('pause-ext-2.yaml'), ext);
  h.run(['init', '--db', h.path('p.db')]);
  h.run(['agreement', 'add', '--db', h.path('p.db'), h.path('pause.yaml'), h.path('pause-ext-2.yaml')]);
  base = await h.serve('p.db');
  const a = await (await fetch(new URL('api/v1/agreements/pause', base))).json();
  check(a.periods.length === 3, `three periods: ${JSON.stringify(a.periods)}`);
  check(a.periods[2].by === 'pause-ext-2' && a.periods[1].by === null, 'who made each period');
  check(a.end === '2023-12-02T05:00:00Z', `end moved by the extension: ${a.end}`);
});

await step('the default agreement is the agreement, not its extension document', async () => {
  page = await h.page();
  await page.goto(new URL('#/agreement', base).href);
  await page.waitForSelector('.period-list li');
  const title = await page.textContent('h1');
  check(title === 'Humanitarian pause', `title ${title}`);
});

await step('the agreement view lists its periods and the lapse', async () => {
  const items = await page.$$eval('.period-list li', (l) => l.map((x) => x.textContent));
  check(items.length === 4, `3 periods and a lapse: ${items.join(' | ')}`);
  check(/its own term/.test(items[0]), items[0]);
  check(/signed/.test(items[1]) && /mediators/.test(items[1]), items[1]);
  check(/Lapsed/.test(items[2]), items[2]);
  check(/extension pause-ext-2/.test(items[3]), items[3]);
  const rows = await page.$$eval('.provision-list > li h3', (l) => l.map((x) => x.textContent));
  check(rows.some((r) => /Art\. 2 \(First exchange\)/.test(r)) && rows.some((r) => /Art\. 2 \(Second exchange\)/.test(r)),
    `one provision per item: ${rows.join(' | ')}`);
  await page.screenshot({ path: join(h.args.out, 'agreement-periods.png'), fullPage: true });
});

await step('the extension document links to the agreement it extends', async () => {
  await page.goto(new URL('#/agreement/pause-ext-2', base).href);
  await page.waitForSelector('.agreement-body dl.facts');
  const href = await page.getAttribute('.agreement-body dl.facts a[href*="agreement/pause"]', 'href');
  check(href !== null && /#\/agreement\/pause(\?|$)/.test(href), `link ${href}`);
});

await h.done();
