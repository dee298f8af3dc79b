// An agreement's zones and corridors (GET /agreements/{id}/zones) as a Leaflet layer.
import * as L from 'leaflet';
import type { FeatureCollection, Geometry } from 'geojson';
import { api } from './api';
import { h } from './dom';
import { humanize } from './format';

export const ZONE_STYLE: Record<string, L.PathOptions> = {
  polygon: { color: '#5f3dc4', weight: 2, fillColor: '#7950f2', fillOpacity: 0.08 },
  corridor: { color: '#e8590c', weight: 2, fillColor: '#fd7e14', fillOpacity: 0.12, dashArray: '6 4' },
  band: { color: '#0c8599', weight: 1.5, fillColor: '#15aabf', fillOpacity: 0.12 },
  circle: { color: '#5c940d', weight: 1.5, fillColor: '#82c91e', fillOpacity: 0.1 },
};

export async function zoneLayer(agreement: string, signal?: AbortSignal): Promise<L.GeoJSON> {
  const fc = await api.get<FeatureCollection<Geometry>>(`/agreements/${encodeURIComponent(agreement)}/zones`, {}, signal);
  return L.geoJSON(fc, {
    filter: (f) => (f.properties?.kind ?? 'zone') === 'zone',
    style: (f) => ZONE_STYLE[String(f?.properties?.shape ?? 'polygon')] ?? ZONE_STYLE.polygon,
    onEachFeature: (f, l) => {
      const p = f.properties ?? {};
      const name = `${p.name ?? p.id}${p.approximate ? ' (approximate)' : ''}`;
      l.bindTooltip(name, { sticky: true });
      // Named for screen readers and on hover (a title), not only by the tooltip.
      l.on('add', () => {
        const el = (l as L.Path).getElement();
        if (!el) return;
        el.setAttribute('role', 'img');
        el.setAttribute('aria-label', `Zone: ${name}`);
        el.setAttribute('data-zone', String(p.id ?? ''));
        if (!el.querySelector('title')) {
          const t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
          t.textContent = name;
          el.appendChild(t);
        }
      });
      l.bindPopup(() => h('div', {},
        h('h3', {}, String(p.name ?? p.id)),
        h('p', {}, `${humanize(String(p.shape ?? 'zone'))}${p.width_m ? `, ${(Number(p.width_m) / 1000).toFixed(1)} km wide` : ''}${p.approximate ? ' — approximate' : ''}`),
        p.note ? h('p', {}, String(p.note)) : null));
    },
  });
}
