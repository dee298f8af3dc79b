// Place labels: the server ranks them (the agreements' places, then the towns incidents
// name, most named first, then other towns); here they are placed in that order, each only
// where its text overlaps no label already placed, so a village never hides Idlib.
import * as L from 'leaflet';
import type { PlaceLabel } from '../api';

/** Labels asked for: several per label that fits, so that the ranking, not the grid, decides. */
export function labelRequestLimit(size: L.Point): number {
  return Math.max(24, Math.min(400, Math.round((size.x * size.y) / (90 * 35))));
}

type Side = 'right' | 'left' | 'top' | 'bottom';
const SIDES: Side[] = ['right', 'left', 'top', 'bottom'];
const OFFSET: Record<Side, [number, number]> = { right: [4, 0], left: [-4, 0], top: [0, -6], bottom: [0, 6] };

// The box a label's text takes on one side of its point, in container pixels (12px text:
// about 6.6px a character, 18px a line).
function labelBox(p: L.Point, name: string, side: Side): L.Bounds {
  const w = 10 + name.length * 6.6;
  switch (side) {
    case 'right': return L.bounds([p.x - 3, p.y - 9], [p.x + w, p.y + 9]);
    case 'left': return L.bounds([p.x - w, p.y - 9], [p.x + 3, p.y + 9]);
    // Above and below leave the point's own line free, for a neighbour's label beside it.
    case 'top': return L.bounds([p.x - w / 2, p.y - 30], [p.x + w / 2, p.y - 10]);
    default: return L.bounds([p.x - w / 2, p.y + 10], [p.x + w / 2, p.y + 30]);
  }
}

/** Draws `items` (in rank order) into `layer`: right of the point, else left, above, below, or not at all. */
export function drawLabels(map: L.Map, layer: L.LayerGroup, items: PlaceLabel[]): void {
  layer.clearLayers();
  const placed: L.Bounds[] = [];
  for (const p of items) {
    const at = map.latLngToContainerPoint([p.lat, p.lon]);
    const side = SIDES.find((s) => !placed.some((b) => b.intersects(labelBox(at, p.name, s))));
    if (!side) continue;
    placed.push(labelBox(at, p.name, side));
    L.marker([p.lat, p.lon], {
      pane: 'labels', interactive: false, keyboard: false,
      icon: L.divIcon({ className: `place-label place-${p.kind}`, html: '', iconSize: [6, 6] }),
    }).bindTooltip(p.name, {
      permanent: true, direction: side, className: `place-name place-name-${p.kind}`, offset: OFFSET[side], pane: 'labels',
    }).addTo(layer);
  }
}
