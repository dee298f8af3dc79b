// Daily violations per side (uPlot), with a marker at each agreement's entry into force.
// Dragging across the chart (mouse, or a finger or pen through pointer events) selects a
// range of days: it becomes the from/to filter that the map and the findings table
// follow, and the chart zooms into it. Sides have their own colours (none of the status
// colours) and dash patterns; the y axis counts whole incidents; the x axis gives the
// year whenever the days shown cross one.
import uPlot from 'uplot';
import { api, type Timeline } from './api';
import { reportError, sidesOf } from './context';
import { h } from './dom';
import { failedText } from './connection';
import { dayToSeconds, fmtDate, humanize, secondsToDay } from './format';
import { effectiveAgreement, updateFilters, type Filters } from './state';

export interface TimelineView { el: HTMLElement; update(f: Filters): void; dispose(): void }

const DAY_S = 86400;
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Side lines: violet, teal, brown, black, magenta, olive, none of them a status colour
 * (red, amber, blue, green, grey), each with its own dash so that print and colour-blind
 * readers can tell them apart.
 */
export const SIDE_STYLES: { color: string; dash: number[] }[] = [
  { color: '#6741d9', dash: [] },
  { color: '#0c8599', dash: [8, 4] },
  { color: '#8d5524', dash: [2, 3] },
  { color: '#212529', dash: [10, 3, 2, 3] },
  { color: '#a61e4d', dash: [4, 4] },
  { color: '#5c6b00', dash: [12, 6] },
];

/**
 * Tick labels: "3 Mar" (or "Mar" for monthly ticks); with the year on the first tick
 * and wherever it changes when the days shown cross a year boundary.
 */
export function dayTicks(splits: number[], incrS: number): string[] {
  const years = splits.map((v) => new Date(v * 1000).getUTCFullYear());
  const multiYear = years.length > 0 && years[0] !== years[years.length - 1];
  return splits.map((v, i) => {
    const d = new Date(v * 1000);
    const base = incrS >= 28 * DAY_S ? MON[d.getUTCMonth()] : `${d.getUTCDate()} ${MON[d.getUTCMonth()]}`;
    return multiYear && (i === 0 || years[i] !== years[i - 1]) ? `${base} ${years[i]}` : base;
  });
}

// Whole-number steps for the y axis: incidents per day are counts.
const COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000];

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
      const style = SIDE_STYLES[i % SIDE_STYLES.length];
      series.push({ label: `${humanize(s)} violations`, stroke: style.color, dash: style.dash, width: 2, points: { show: false } });
      ys.push(t.violations[s] ?? t.days.map(() => 0));
    });
    if (t.incidents) {
      series.push({ label: 'Incidents', stroke: '#495057', width: 1, dash: [1, 3], points: { show: false } });
      ys.push(t.incidents);
    }
    const markers = (t.markers ?? []).map((m) => ({ x: dayToSeconds(m.day), label: m.label }));
    const opts: uPlot.Options = {
      width: chartWidth(),
      height: chartHeight(),
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(2, Math.ceil(max * 1.1))] } },
      series,
      axes: [
        // The labels drawn are kept on the element too (the canvas has no text to read back).
        { values: (_u, splits, _ax, _space, incr) => { const l = dayTicks(splits, incr); chart.dataset.xTicks = l.join('|'); return l; } },
        { label: 'per day', size: 50, incrs: COUNT_INCRS,
          values: (_u, splits) => { const l = splits.map((v) => String(v)); chart.dataset.yTicks = l.join('|'); return l; } },
      ],
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      hooks: {
        setSelect: [(u) => {
          if (applying) return;
          selectDays(u, u.select.left, u.select.width, xs);
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
    const over = chart.querySelector<HTMLElement>('.u-over');
    over?.setAttribute('aria-hidden', 'true');
    if (over) touchDrag(over, plot, xs);
    chart.setAttribute('role', 'img');
    const totals = t.sides.map((s) => `${humanize(s)}: ${(t.violations[s] ?? []).reduce((a, b) => a + b, 0)}`).join(', ');
    chart.setAttribute('aria-label', `Violations per day from ${fmtDate(t.days[0])} to ${fmtDate(t.days[t.days.length - 1])}. ${totals}.`
      + (markers.length ? ` Marker: ${(t.markers ?? []).map((m) => `${m.label} on ${fmtDate(m.day)}`).join('; ')}.` : ''));
    summary.textContent = `Violations in total — ${totals || 'none'}.`;
    showRange();
  }

  /** A selection of `width` CSS pixels from `left` becomes the from/to filter (whole days). */
  function selectDays(u: uPlot, left: number, width: number, xs: number[]): void {
    if (width < 3) return;
    let from = Math.round(u.posToVal(left, 'x') / DAY_S) * DAY_S;
    let to = Math.round(u.posToVal(left + width, 'x') / DAY_S) * DAY_S;
    from = Math.max(from, xs[0]);
    to = Math.min(to, xs[xs.length - 1]);
    if (to < from) return;
    updateFilters({ from: secondsToDay(from), to: secondsToDay(to) });
  }

  /**
   * uPlot drags with a mouse only: a finger or a pen drawing across the chart selects
   * too. Horizontal strokes are ours (touch-action: pan-y keeps vertical scrolling).
   */
  function touchDrag(over: HTMLElement, u: uPlot, xs: number[]): void {
    over.style.touchAction = 'pan-y';
    let x0: number | null = null;
    const at = (e: PointerEvent): number => Math.min(Math.max(0, e.clientX - over.getBoundingClientRect().left), over.clientWidth);
    over.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'mouse') return;
      x0 = at(e);
      try { over.setPointerCapture(e.pointerId); } catch { /* a pointer already gone */ }
    });
    over.addEventListener('pointermove', (e) => {
      if (x0 === null) return;
      const x = at(e);
      applying = true;
      try { u.setSelect({ left: Math.min(x0, x), top: 0, width: Math.abs(x - x0), height: over.clientHeight }, false); }
      finally { applying = false; }
    });
    const end = (e: PointerEvent): void => {
      if (x0 === null) return;
      const start = x0;
      const x = at(e);
      x0 = null;
      if (e.type === 'pointerup') selectDays(u, Math.min(start, x), Math.abs(x - start), xs);
      else showRange();
    };
    over.addEventListener('pointerup', end);
    over.addEventListener('pointercancel', end);
  }

  /**
   * The from/to filter as a zoom: the x axis shows those days only (half a day either
   * side), or every day when no range is chosen.
   */
  function showRange(): void {
    clearBtn.hidden = !(filters.from || filters.to);
    if (!plot || !data || !data.days.length) return;
    applying = true;
    try {
      const first = dayToSeconds(data.days[0]);
      const last = dayToSeconds(data.days[data.days.length - 1]);
      plot.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
      if (filters.from || filters.to) {
        const a = Math.max(filters.from ? dayToSeconds(filters.from) : first, first);
        const b = Math.min(filters.to ? dayToSeconds(filters.to) : last, last);
        plot.setScale('x', { min: Math.min(a, b) - DAY_S / 2, max: Math.max(a, b) + DAY_S / 2 });
        chart.dataset.zoom = `${secondsToDay(Math.min(a, b))}/${secondsToDay(Math.max(a, b))}`;
      } else {
        plot.setScale('x', { min: first, max: last });
        delete chart.dataset.zoom;
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
      if (!(e instanceof DOMException && e.name === 'AbortError')) {
        // Nothing from the old filters stays under the new ones.
        plot?.destroy(); plot = null; data = null;
        chart.textContent = '';
        chart.appendChild(h('p', { class: 'empty load-failed' }, failedText(e, 'the timeline')));
        summary.textContent = '';
      }
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
