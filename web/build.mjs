// Bundles the dashboard into web/dist (flat: the server serves web/dist/index.html at `/`
// and every other file at `/assets/<name>`). Run with `npm run build`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { app: join(here, 'src', 'main.ts') },
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  outdir: dist,
  assetNames: '[name]',
  publicPath: '/assets',
  loader: { '.png': 'file', '.svg': 'file' },
  logLevel: 'warning',
});

copyFileSync(join(here, 'index.html'), join(dist, 'index.html'));
// Natural Earth 1:50m countries and land (world-atlas), loaded by the map at run time.
const atlas = dirname(require.resolve('world-atlas/package.json'));
for (const f of ['countries-50m.json', 'land-50m.json']) copyFileSync(join(atlas, f), join(dist, f));
console.log(`web: built ${dist}`);
