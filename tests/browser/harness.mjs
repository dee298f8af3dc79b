// Shared set-up for the browser tests (tests/browser/*.test.mjs): arguments, TAP-style
// steps, a `truce serve` on a temporary database, Debian's Chromium through
// playwright-core, and a generator of many ACLED rows around Idlib for tests at the
// size users have. Each test file is its own process (its own CTest entry).
//
//   import { harness } from './harness.mjs';
//   const h = await harness('map');            // parses --truce/--web/--out/--chromium; exits 77 to skip
//   await h.step('name', async () => { ... h.check(cond, 'what') ... });
//   h.demoDb('demo.db'); h.ingest('demo.db', 'rows.csv', csvText); h.run(['rule', '--db', ...]);
//   const base = await h.serve('demo.db');      // http://127.0.0.1:PORT/
//   const page = await h.page({ width: 390, height: 844 });
//   await h.done();                             // closes everything, prints the tally, exits 0
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseArgs(name, argv) {
  const a = { truce: '', web: join(repo, 'web', 'dist'), out: join(repo, 'build', 'screenshots'),
    updateDocs: false, chromium: process.env.CHROMIUM || '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--update-docs') a.updateDocs = true;
    else if (k === '--truce') a.truce = argv[++i];
    else if (k === '--web') a.web = argv[++i];
    else if (k === '--out') a.out = argv[++i];
    else if (k === '--chromium') a.chromium = argv[++i];
    else { console.error(`${name}.test: unknown argument ${k}`); process.exit(2); }
  }
  if (!a.truce) { console.error(`${name}.test: --truce PATH is required`); process.exit(2); }
  return a;
}

/** The test's context. Skips (exit 77) when Chromium or the built dashboard is missing. */
export async function harness(name, argv = process.argv.slice(2)) {
  const args = parseArgs(name, argv);
  if (!existsSync(args.chromium)) {
    console.log(`SKIP: no Chromium at ${args.chromium} (apt-get install chromium)`);
    process.exit(77);
  }
  if (!existsSync(join(args.web, 'index.html'))) {
    console.log(`SKIP: ${args.web}/index.html is missing (npm run build)`);
    process.exit(77);
  }
  const { chromium } = await import('playwright-core');
  mkdirSync(args.out, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), `truce-${name}-`));
  const servers = [];
  const pageErrors = [];
  let browser = null;
  let lastPage = null;
  let passed = 0;

  const h = {
    args, tmp, pageErrors,
    path: (f) => join(tmp, f),
    check(cond, what) { if (!cond) throw new Error(`check failed: ${what}`); },

    /** Runs `truce ARGS...` in the repository; throws with its stderr unless it exits 0. */
    run(cmdArgs, { expect = 0 } = {}) {
      const r = spawnSync(args.truce, cmdArgs, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== expect) throw new Error(`truce ${cmdArgs.join(' ')} exited ${r.status}: ${r.stderr}`);
      return r;
    },
    /** `truce demo --no-serve` into a new database in the temporary directory. */
    demoDb(db = 'demo.db') { return h.run(['demo', '--no-serve', '--db', join(tmp, db)]); },
    /** Writes `text` to `file` in the temporary directory and ingests it into `db`. */
    ingest(db, file, text) {
      writeFileSync(join(tmp, file), text);
      return h.run(['ingest', '--db', join(tmp, db), join(tmp, file)]);
    },

    /** Starts `truce serve` on `db` (anonymous reads) and resolves to its base URL. */
    serve(db = 'demo.db', extra = ['--anonymous-read']) {
      const proc = spawn(args.truce, ['serve', '--db', join(tmp, db), '--listen', '127.0.0.1:0', '--web', args.web, ...extra],
        { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
      const s = { proc, stderr: '', exit: null, url: '' };
      servers.push(s);
      proc.stderr.on('data', (d) => { s.stderr += d; });
      const exited = new Promise((r) => proc.once('exit', (code, signal) => { s.exit = { code, signal }; r(s.exit); }));
      s.stop = async () => {
        if (s.exit) return s.exit;
        proc.kill('SIGTERM');
        return exited;
      };
      return new Promise((res, rej) => {
        createInterface({ input: proc.stdout }).on('line', (line) => {
          const m = /^truce: serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
          if (m) { s.url = m[1]; res(m[1]); }
        });
        exited.then((st) => rej(new Error(`truce serve exited ${JSON.stringify(st)} before serving: ${s.stderr}`)));
      });
    },
    /** The servers started so far ({proc, url, stderr, exit, stop()}), oldest first. */
    servers,

    /** A new page in a new browser context of this viewport; page errors are collected. */
    async page(viewport = { width: 1440, height: 900 }, contextOptions = {}) {
      if (!browser) browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: ['--no-sandbox'] });
      const ctx = await browser.newContext({ viewport, ...contextOptions });
      const p = await ctx.newPage();
      p.on('pageerror', (e) => pageErrors.push(String(e)));
      lastPage = p;
      return p;
    },
    browser: () => browser,

    async step(stepName, fn) {
      try {
        await fn();
        passed++;
        console.log(`ok ${passed} - ${stepName}`);
      } catch (e) {
        console.log(`not ok ${passed + 1} - ${stepName}`);
        console.log(`  ${String((e && e.stack) || e).split('\n').join('\n  ')}`);
        if (lastPage) await lastPage.screenshot({ path: join(args.out, `${name}-failure.png`), fullPage: true }).catch(() => {});
        for (const s of servers) if (s.stderr) console.log(`  server stderr:\n  ${s.stderr.trim().split('\n').slice(-20).join('\n  ')}`);
        await h.close();
        console.log(`${passed} passed, 1 failed`);
        process.exit(1);
      }
    },

    async close() {
      if (browser) { await browser.close().catch(() => {}); browser = null; }
      for (const s of servers) await s.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
    /** Fails on any page error, stops everything and exits 0. */
    async done() {
      await h.step('no script errors', async () => h.check(pageErrors.length === 0, `page errors: ${pageErrors.join('; ')}`));
      await h.close();
      console.log(`${passed} passed, 0 failed`);
      process.exit(0);
    },
  };
  return h;
}

/** Waits until the element's data-query (the API query it shows) has these params (null: absent). */
export async function waitQuery(page, selector, params) {
  await page.waitForFunction(([sel, want]) => {
    const el = document.querySelector(sel);
    if (!el || !el.dataset.query) return false;
    const q = new URLSearchParams(el.dataset.query);
    return Object.entries(want).every(([k, v]) => (v === null ? !q.has(k) : q.get(k) === v));
  }, [selector, params]);
}

export const ACLED_HEADER = 'event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,'
  + 'assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,'
  + 'admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];

/**
 * `count` ACLED rows (a CSV text with header) of generated incidents around Idlib between
 * `from` and `to` (YYYY-MM-DD, inclusive), deterministic for a seed: government shelling and
 * clashes, opposition shelling, some against civilians, about a tenth with province-level
 * precision (geo_precision 3). `stack` rows (default 0) share one point exactly, as reports
 * placed at a province centre do. Ids are `SYR-GEN-<n>`; the notes say they are generated.
 */
export function generatedAcled({ count, seed = 1, from = '2020-02-01', to = '2020-12-31', stack = 0,
  stackAt = [35.93, 36.63], prefix = 'SYR-GEN' }) {
  let x = seed >>> 0 || 1;
  const rand = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
  const t0 = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - t0) / 86400000) + 1;
  const towns = [['Saraqib', 35.8626, 36.8047], ['Ariha', 35.8111, 36.6083], ['Maarrat al-Numan', 35.6436, 36.6717],
    ['Kansafra', 35.6939, 36.5039], ['Jisr al-Shughur', 35.8117, 36.3194], ['Sarmin', 35.9036, 36.7247],
    ['Kafr Nabl', 35.6136, 36.5608], ['Idlib', 35.9306, 36.6339], ['Binnish', 35.9553, 36.7111], ['Taftanaz', 35.9983, 36.7836]];
  const kinds = [
    ['Explosions/Remote violence', 'Shelling/artillery/missile attack', 'Military Forces of Syria (2000-)', 'State forces',
      'Hayat Tahrir al-Sham', 'Rebel group', 'State forces-Rebel group', ''],
    ['Battles', 'Armed clash', 'Military Forces of Syria (2000-)', 'State forces', 'National Liberation Front', 'Rebel group',
      'State forces-Rebel group', ''],
    ['Explosions/Remote violence', 'Air/drone strike', 'Military Forces of Russia (2000-)', 'External/Other forces',
      'Civilians (Syria)', 'Civilians', 'External/Other forces-Civilians', 'Civilian targeting'],
    ['Explosions/Remote violence', 'Shelling/artillery/missile attack', 'Military Forces of Turkey (2016-)',
      'External/Other forces', 'Military Forces of Syria (2000-)', 'State forces', 'State forces-External/Other forces', ''],
  ];
  const rows = [ACLED_HEADER];
  for (let i = 0; i < count; i++) {
    const d = new Date(t0 + Math.floor(rand() * days) * 86400000);
    const date = `${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    const [town, tlat, tlon] = towns[Math.floor(rand() * towns.length)];
    const k = kinds[Math.floor(rand() * kinds.length)];
    let lat; let lon; let prec; let location = town;
    if (i < stack) {
      [lat, lon] = stackAt; prec = 3; location = 'Idlib';
    } else if (rand() < 0.1) {
      lat = 35.93; lon = 36.63; prec = 3; location = 'Idlib';
    } else {
      lat = tlat + (rand() - 0.5) * 0.08; lon = tlon + (rand() - 0.5) * 0.08; prec = rand() < 0.8 ? 1 : 2;
    }
    const fatalities = rand() < 0.6 ? 0 : Math.floor(rand() * 12);
    rows.push([`${prefix}-${i + 1}`, date, d.getUTCFullYear(), 1, 'Political violence', k[0], k[1], k[2], '', k[3], k[4], '',
      k[5], k[6], k[7], 760, 'Middle East', 'Syria', 'Idlib', 'Idlib', '', location, lat.toFixed(4), lon.toFixed(4), prec,
      'Generated', 'Other', `Generated incident ${i + 1} for a browser test.`, fatalities, '', 1600000000].join(','));
  }
  return `${rows.join('\n')}\n`;
}
