// A small event-rate chart per host (uPlot), fed by the live stream's status frames (about one a second).
// The current rate is also written out as text, for screen readers and for reading at a glance.

import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

const POINTS = 180; // three minutes at one status a second

// uPlot's stylesheet, only on pages that draw charts (a stored session's view never loads it).
const style = document.createElement('link');
style.rel = 'stylesheet';
style.href = '/webjars/uplot/dist/uPlot.min.css';
document.head.appendChild(style);

export class RateCharts {
  constructor(container, colours) {
    this.container = container;
    this.colours = colours;
    this.charts = new Map(); // host → {plot, times, rates, label, figure}
  }

  /** One status: rates per host at time {@code seconds} (epoch). */
  add(seconds, hosts) {
    for (const h of hosts) {
      const chart = this.charts.get(h.host) || this.create(h.host);
      chart.times.push(seconds);
      chart.rates.push(h.rate || 0);
      if (chart.times.length > POINTS) {
        chart.times.shift();
        chart.rates.shift();
      }
      chart.plot.setData([chart.times, chart.rates]);
      const text = formatRate(h.rate || 0);
      chart.value.textContent = text;
      chart.figure.setAttribute('aria-label', 'Event rate of ' + h.host + ': now ' + text);
    }
  }

  create(host) {
    const figure = document.createElement('figure');
    figure.className = 'rate-chart';
    figure.setAttribute('role', 'img');
    const caption = document.createElement('figcaption');
    const swatch = document.createElement('span');
    swatch.className = 'swatch ' + this.colours.of(host);
    const value = document.createElement('span');
    value.className = 'rate-value';
    caption.append(swatch, document.createTextNode(host + ' '), value);
    const plotHolder = document.createElement('div');
    plotHolder.setAttribute('aria-hidden', 'true');
    figure.append(caption, plotHolder);
    this.container.appendChild(figure);
    const stroke = getComputedStyle(swatch).backgroundColor || '#1f6feb';
    const axisColour = getComputedStyle(this.container).color;
    const times = [];
    const rates = [];
    const plot = new uPlot({
      width: 260, height: 90, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(10, max * 1.15)] } },
      axes: [
        { stroke: axisColour, grid: { show: false }, ticks: { show: false }, size: 20, font: '10px system-ui' },
        { stroke: axisColour, grid: { stroke: 'rgba(128,128,128,.2)' }, size: 44, font: '10px system-ui',
          values: (u, ticks) => ticks.map(formatShort) },
      ],
      series: [{}, { stroke, width: 1.5, fill: stroke.replace('rgb(', 'rgba(').replace(')', ', .15)') }],
    }, [times, rates], plotHolder);
    const chart = { plot, times, rates, value, figure };
    this.charts.set(host, chart);
    return chart;
  }
}

function formatShort(n) {
  return n >= 1e6 ? (n / 1e6).toFixed(1) + 'M' : n >= 1e3 ? (n / 1e3).toFixed(1) + 'k' : String(Math.round(n));
}

export function formatRate(rate) {
  return (rate >= 100 ? Math.round(rate).toLocaleString() : rate.toFixed(1)) + ' events/s';
}
