// Daily violations per side (uPlot), with a marker at each agreement's entry into force.
// Dragging across the chart selects a range of days: it becomes the from/to filter that
// the map and the findings table follow.
import uPlot from 'uplot';
import { api, type Timeline } from './api';
import { reportError, sidesOf } from './context';
import { h } from './dom';
import { dayToSeconds, fmtDate, humanize, secondsToDay, SIDE_COLORS } from './format';
import { effectiveAgreement, updateFilters, type Filters } from './state';

export interface TimelineView { el: HTMLElement; update(f: Filters): void; dispose(): void }

const DAY_S = 86400;
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function shortDay(v: number): string {
  const d = new Date(v * 1000);
  return d.getUTCDate() === 1 && d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : `${d.getUTCDate()} ${MON[d.getUTCMonth()]}`;
}

export function timeline(initial: Filters): TimelineView {
  const chart = h('div', { class: 'timeline-chart' });
  const summary = h('p', { class: 'timeline-summary', 'aria-live': 'polite' });
  const clearBtn = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Clear date range');
  clearBtn.addEventListener('click', () => updateFilters({ from: '', to: '' }));
  const el = h('section', { class: 'panel timeline', 'aria-labelledby': 'timeline-title' },
    h('div', { class: 'panel-head' },
      h('h2', { id: 'timeline-title' }, 'Violations per day'),
      h('span', { class: 'hint' }, 'Drag across the chart to filter by date'),
      clearBtn),
    chart, summary);

  let plot: uPlot | null = null;
  let data: Timeline | null = null;
  let filters = initial;
  let loadedKey = '';
  let ctrl: AbortController | null = null;
  let applying = false;

  const ro = new ResizeObserver(() => {
    if (plot) plot.setSize({ width: chartWidth(), height: chartHeight() });
    showRange();
  });
  ro.observe(chart);

  function chartWidth(): number { return Math.max(280, chart.clientWidth || 600); }
  function chartHeight(): number { return window.innerWidth < 720 ? 180 : 220; }

  function draw(t: Timeline): void {
    plot?.destroy();
    plot = null;
    chart.textContent = '';
    if (!t.days.length) {
      chart.appendChild(h('p', { class: 'empty' }, 'No incidents for this selection.'));
      summary.textContent = '';
      return;
    }
    const xs = t.days.map(dayToSeconds);
    const series: uPlot.Series[] = [{ label: 'Day', value: (_u, v) => (v == null ? '—' : fmtDate(secondsToDay(v))) }];
    const ys: number[][] = [];
    t.sides.forEach((s, i) => {
      series.push({ label: `${humanize(s)} violations`, stroke: SIDE_COLORS[i % SIDE_COLORS.length], width: 2, points: { show: false } });
      ys.push(t.violations[s] ?? t.days.map(() => 0));
    });
    if (t.incidents) {
      series.push({ label: 'Incidents', stroke: '#868e96', width: 1, dash: [4, 4], points: { show: false } });
      ys.push(t.incidents);
    }
    const markers = (t.markers ?? []).map((m) => ({ x: dayToSeconds(m.day), label: m.label }));
    const opts: uPlot.Options = {
      width: chartWidth(),
      height: chartHeight(),
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(2, Math.ceil(max * 1.1))] } },
      series,
      axes: [{ values: (_u, splits) => splits.map(shortDay) }, { label: 'per day', size: 50 }],
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      hooks: {
        setSelect: [(u) => {
          if (applying) return;
          if (u.select.width < 3) return;
          let from = Math.round(u.posToVal(u.select.left, 'x') / DAY_S) * DAY_S;
          let to = Math.round(u.posToVal(u.select.left + u.select.width, 'x') / DAY_S) * DAY_S;
          from = Math.max(from, xs[0]);
          to = Math.min(to, xs[xs.length - 1]);
          if (to < from) return;
          updateFilters({ from: secondsToDay(from), to: secondsToDay(to) });
        }],
        draw: [(u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = '#343a40';
          ctx.fillStyle = '#343a40';
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
          for (const m of markers) {
            const x = Math.round(u.valToPos(m.x, 'x', true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            const w = ctx.measureText(m.label).width;
            const pad = 4 * devicePixelRatio;
            const tx = x + pad + w <= u.bbox.left + u.bbox.width ? x + pad
              : x - pad - w >= u.bbox.left ? x - pad - w : u.bbox.left + pad;
            ctx.textAlign = 'left';
            ctx.fillText(m.label, tx, u.bbox.top + 14 * devicePixelRatio);
          }
          ctx.restore();
        }],
      },
    };
    plot = new uPlot(opts, [xs, ...ys], chart);
    const over = chart.querySelector('.u-over');
    over?.setAttribute('aria-hidden', 'true');
    chart.setAttribute('role', 'img');
    const totals = t.sides.map((s) => `${humanize(s)}: ${(t.violations[s] ?? []).reduce((a, b) => a + b, 0)}`).join(', ');
    chart.setAttribute('aria-label', `Violations per day from ${fmtDate(t.days[0])} to ${fmtDate(t.days[t.days.length - 1])}. ${totals}.`
      + (markers.length ? ` Marker: ${(t.markers ?? []).map((m) => `${m.label} on ${fmtDate(m.day)}`).join('; ')}.` : ''));
    summary.textContent = `Violations in total — ${totals || 'none'}.`;
    showRange();
  }

  /** Shows the from/to filter as the chart's selection. */
  function showRange(): void {
    clearBtn.hidden = !(filters.from || filters.to);
    if (!plot || !data || !data.days.length) return;
    applying = true;
    try {
      if (filters.from || filters.to) {
        const first = dayToSeconds(data.days[0]);
        const last = dayToSeconds(data.days[data.days.length - 1]);
        const a = filters.from ? dayToSeconds(filters.from) : first;
        const b = filters.to ? dayToSeconds(filters.to) : last;
        const left = Math.max(0, plot.valToPos(Math.max(a, first), 'x'));
        const right = Math.min(plot.bbox.width / devicePixelRatio, plot.valToPos(Math.min(b, last), 'x'));
        plot.setSelect({ left, top: 0, width: Math.max(2, right - left), height: plot.bbox.height / devicePixelRatio }, false);
      } else {
        plot.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
      }
    } finally {
      applying = false;
    }
  }

  async function load(f: Filters): Promise<void> {
    const q: Record<string, string> = {};
    const a = effectiveAgreement(f);
    if (a) q.agreement = a;
    if (f.side) q.side = f.side;
    if (f.event_type) q.event_type = f.event_type;
    const key = JSON.stringify(q);
    if (key === loadedKey) { showRange(); return; }
    loadedKey = key;
    ctrl?.abort();
    ctrl = new AbortController();
    try {
      const t = await api.get<Timeline>('/timeline', q, ctrl.signal);
      // Every side of the agreement gets a line, with zeros where it has no violation.
      if (a) {
        const sides = await sidesOf(a);
        for (const s of sides) {
          if (!t.sides.includes(s)) { t.sides.push(s); t.violations[s] = t.days.map(() => 0); }
        }
      }
      data = t;
      draw(data);
    } catch (e) {
      loadedKey = '';
      reportError(e);
    }
  }

  function update(f: Filters): void { filters = f; void load(f); }
  update(initial);

  return {
    el,
    update,
    dispose() { ctrl?.abort(); ro.disconnect(); plot?.destroy(); plot = null; },
  };
}
