// Bundles the dashboard into web/dist (flat: the server serves web/dist/index.html at `/`
// and every other file at `/assets/<name>`). Run with `npm run build`.
//
// For a fast first load (docs/dashboard.md, "Load"):
// - file names carry a hash of their content (app-HASH.js, basemap-HASH.json), which the
//   server caches for a year; index.html, which names them, is revalidated every time;
// - the world map is converted from TopoJSON at build time (web/basemap-data.mjs), so the
//   browser parses GeoJSON instead of rebuilding it on the main thread;
// - every text file gets .gz and .br siblings (node's zlib, strongest settings), which the
//   server sends to browsers that accept them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { baseMapData } from './basemap-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

// 8 upper-case hex digits: the form the server recognises as a hashed name (IsHashedName
// in src/server/services/static_files.cc), as esbuild's [hash] is.
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 8).toUpperCase();

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const basemap = Buffer.from(JSON.stringify(baseMapData()));
const basemapName = `basemap-${hashOf(basemap)}.json`;
writeFileSync(join(dist, basemapName), basemap);

const result = await build({
  entryPoints: { app: join(here, 'src', 'main.ts') },
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  outdir: dist,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/assets',
  loader: { '.png': 'file', '.svg': 'file' },
  define: { __BASEMAP_URL__: JSON.stringify(`/assets/${basemapName}`) },
  metafile: true,
  logLevel: 'warning',
});

// index.html names the bundle as /assets/app.js and /assets/app.css; point it at the hashed files.
const outputs = Object.keys(result.metafile.outputs).map((f) => basename(f));
const hashed = (ext) => {
  const name = outputs.find((f) => f.startsWith('app-') && f.endsWith(ext));
  if (!name) throw new Error(`web/build.mjs: esbuild wrote no app-HASH${ext}`);
  return name;
};
let html = readFileSync(join(here, 'index.html'), 'utf8');
for (const ext of ['.js', '.css']) {
  const before = html;
  html = html.replace(`/assets/app${ext}`, `/assets/${hashed(ext)}`);
  if (html === before) throw new Error(`web/index.html: no /assets/app${ext} to point at ${hashed(ext)}`);
}
writeFileSync(join(dist, 'index.html'), html);

const TEXT = new Set(['.html', '.js', '.css', '.json', '.map', '.svg']);
let plain = 0;
let br = 0;
for (const f of readdirSync(dist)) {
  if (!TEXT.has(extname(f))) continue;
  const bytes = readFileSync(join(dist, f));
  const gz = gzipSync(bytes, { level: 9 });
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  });
  // A variant no smaller than the file is not worth a Content-Encoding.
  if (gz.length < bytes.length) writeFileSync(join(dist, `${f}.gz`), gz);
  if (brotli.length < bytes.length) writeFileSync(join(dist, `${f}.br`), brotli);
  if (!f.endsWith('.map')) { plain += bytes.length; br += Math.min(brotli.length, bytes.length); }
}
console.log(`web: built ${dist} (${(plain / 1024).toFixed(0)} kB without source maps, ${(br / 1024).toFixed(0)} kB as brotli)`);
