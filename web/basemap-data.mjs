// The base map's data, made at build time (web/build.mjs) so that the browser only parses
// it: Natural Earth 1:50m land and country borders (world-atlas's TopoJSON) turned into
// the GeoJSON web/src/basemap.ts draws, with coordinates rounded and simplified to what
// the map's zoom levels can show. Coastlines are the land's outline (basemap.ts strokes
// it), not a second copy of the same points.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { feature, mesh } from 'topojson-client';

const require = createRequire(import.meta.url);

// 0.001° is about 110 m (less at Idlib's latitude in longitude): under a pixel up to zoom 10
// (0.0014° per pixel at zoom 10), and Natural Earth's 1:50m lines are not more exact than
// that. Points within this distance of the line through their neighbours are dropped.
export const BASEMAP_TOLERANCE_DEG = 0.001;
const DECIMALS = 3;

// Distance from p to the segment a–b, in degrees (planar: fine at these distances).
function offSegment(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

// Douglas–Peucker on one line, iterative (coastlines have thousands of points).
function simplify(line, tolerance) {
  if (line.length < 3) return line;
  const keep = new Uint8Array(line.length);
  keep[0] = keep[line.length - 1] = 1;
  const stack = [[0, line.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let worst = -1;
    let at = -1;
    for (let i = first + 1; i < last; i++) {
      const d = offSegment(line[i], line[first], line[last]);
      if (d > worst) { worst = d; at = i; }
    }
    if (worst > tolerance) {
      keep[at] = 1;
      stack.push([first, at], [at, last]);
    }
  }
  return line.filter((_, i) => keep[i]);
}

function round(line) {
  const f = 10 ** DECIMALS;
  const out = [];
  for (const [x, y] of line) {
    const p = [Math.round(x * f) / f, Math.round(y * f) / f];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

// Lines keep two points or more; polygon rings four or more (closed), else they go.
function line(coords, tolerance) { const l = round(simplify(coords, tolerance)); return l.length >= 2 ? l : null; }
function ring(coords, tolerance) { const r = round(simplify(coords, tolerance)); return r.length >= 4 ? r : null; }

function geometry(g, tolerance) {
  switch (g.type) {
    case 'LineString': { const l = line(g.coordinates, tolerance); return l && { type: g.type, coordinates: l }; }
    case 'MultiLineString': {
      const ls = g.coordinates.map((c) => line(c, tolerance)).filter(Boolean);
      return ls.length ? { type: g.type, coordinates: ls } : null;
    }
    case 'Polygon': {
      const rs = g.coordinates.map((c) => ring(c, tolerance));
      return rs[0] ? { type: g.type, coordinates: rs.filter(Boolean) } : null;  // no outer ring, no polygon
    }
    case 'MultiPolygon': {
      const ps = g.coordinates.map((p) => p.map((c) => ring(c, tolerance))).filter((p) => p[0]).map((p) => p.filter(Boolean));
      return ps.length ? { type: g.type, coordinates: ps } : null;
    }
    default: throw new Error(`basemap: unexpected geometry ${g.type}`);
  }
}

function simplified(obj, tolerance) {
  if (obj.type === 'FeatureCollection') {
    return { type: obj.type, features: obj.features.map((f) => ({ type: 'Feature', properties: {}, geometry: geometry(f.geometry, tolerance) }))
      .filter((f) => f.geometry) };
  }
  return geometry(obj, tolerance);
}

/** {land, borders} as GeoJSON, ready for L.geoJSON. */
export function baseMapData(tolerance = BASEMAP_TOLERANCE_DEG) {
  const atlas = dirname(require.resolve('world-atlas/package.json'));
  const land = JSON.parse(readFileSync(join(atlas, 'land-50m.json'), 'utf8'));
  const countries = JSON.parse(readFileSync(join(atlas, 'countries-50m.json'), 'utf8'));
  return {
    land: simplified(feature(land, land.objects.land), tolerance),
    borders: simplified(mesh(countries, countries.objects.countries, (a, b) => a !== b), tolerance),
  };
}
