// The map's legend: status shapes, marker sizes, groups, uncertainty rings and zone kinds.
import * as L from 'leaflet';
import { h } from '../dom';
import { STATUS_LABEL, STATUS_ORDER } from '../format';
import { ZONE_STYLE } from '../zones';
import { markerSizePx, shapeSvg } from './map-markers';

function svgSpan(cls: string, svg: string): HTMLElement {
  const s = h('span', { class: cls, 'aria-hidden': 'true' });
  s.innerHTML = svg; // constants only
  return s;
}

export function legend(): L.Control {
  const ctl = new L.Control({ position: 'bottomright' });
  ctl.onAdd = () => {
    // Open where it leaves most of the map free (wide and tall screens); else one click away.
    const el = h('details', { class: 'map-legend', open: window.innerWidth > 720 && window.innerHeight > 1000 },
      h('summary', {}, 'Legend'),
      h('h3', {}, 'Incident status (shape and colour)'),
      h('ul', {}, STATUS_ORDER.map((s) => h('li', {}, svgSpan(`shape-icon status-${s}`, shapeSvg(s, 14)), STATUS_LABEL[s]))),
      h('h3', {}, 'Deaths (size)'),
      h('ul', { class: 'legend-sizes' }, [0, 5, 20].map((n) => h('li', {},
        svgSpan('shape-icon status-none', shapeSvg('no_violation', markerSizePx(n))), n === 20 ? '20 or more' : String(n)))),
      h('h3', {}, 'Groups and precision'),
      h('ul', {},
        h('li', {}, h('span', { class: 'swatch group' }), 'Group: click to zoom in'),
        h('li', {}, h('span', { class: 'swatch stack' }), 'Several at one point: click to list'),
        h('li', {}, h('span', { class: 'swatch ring' }), 'Ring: place known only to ± its radius')),
      h('h3', {}, 'Zones'),
      h('ul', {}, ['polygon', 'corridor', 'band'].map((s) => h('li', {},
        h('span', { class: 'swatch zone', style: `border-color:${ZONE_STYLE[s].color};background:${ZONE_STYLE[s].fillColor}33` }),
        s === 'polygon' ? 'Area' : s === 'corridor' ? 'Corridor' : 'Band'))));
    L.DomEvent.disableClickPropagation(el);
    L.DomEvent.disableScrollPropagation(el);
    return el;
  };
  return ctl;
}
