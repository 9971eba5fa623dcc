// One journey drawn as swimlanes: time runs left to right on the session's common clock from the packet's first
// sighting; each lane is one host's sighting of the packet (its probe points as marks, the drop as a red cross),
// and each wire hop between two hosts is drawn between their lanes with its time on the wire and its uncertainty.
// The drawing is for the eye; the step tables (journey-view.js) carry the same facts for screen readers.

import { el } from './dom.js';
import { formatDuration } from './time.js';

/**
 * {@code lanes}: [{host, packet, colour, clockText, steps: [{relNs, func, drop}]}] in the packet's order;
 * {@code wires}: [{fromLane, toLane, startNs, endNs, text}]; {@code totalNs}: the journey's length.
 */
export function renderSwimlanes(container, lanes, wires, totalNs) {
  container.replaceChildren();
  const span = Math.max(1, totalNs);
  const x = ns => Math.min(100, Math.max(0, ns / span * 100)).toFixed(3) + '%';

  const axis = el('div', 'swim-row axis');
  axis.appendChild(el('div', 'swim-label muted', 'since first seen'));
  const scale = el('div', 'swim-track axis-track');
  scale.setAttribute('aria-hidden', 'true');
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const tick = el('span', 'tick', formatDuration(Math.round(span * f)));
    tick.style.left = (f * 100) + '%';
    if (f === 1) tick.classList.add('last');
    scale.appendChild(tick);
  }
  axis.appendChild(scale);
  container.appendChild(axis);

  lanes.forEach((lane, i) => {
    const row = el('div', 'swim-row lane' + (lane.steps.some(s => s.drop) ? ' has-drop' : ''));
    const label = el('div', 'swim-label');
    const name = el('div', 'lane-host');
    const swatch = el('span', 'swatch ' + lane.colour);
    swatch.setAttribute('aria-hidden', 'true');
    name.append(swatch, document.createTextNode(lane.host));
    label.appendChild(name);
    label.appendChild(el('div', 'lane-facts muted', 'packet ' + lane.packet + ' · ' + lane.clockText));
    row.appendChild(label);

    const track = el('div', 'swim-track');
    track.setAttribute('aria-hidden', 'true');
    if (lane.steps.length) {
      const first = lane.steps[0].relNs;
      const last = lane.steps[lane.steps.length - 1].relNs;
      const bar = el('div', 'lane-bar ' + lane.colour);
      bar.style.left = x(first);
      bar.style.width = 'max(3px, calc(' + x(last) + ' - ' + x(first) + '))';
      track.appendChild(bar);
      for (const step of lane.steps) {
        const mark = el('span', step.drop ? 'mark drop-mark' : 'mark');
        mark.style.left = x(step.relNs);
        mark.title = step.func + ' at +' + formatDuration(step.relNs) + (step.drop ? ': ' + step.drop : '');
        track.appendChild(mark);
      }
      const drop = lane.steps.find(s => s.drop);
      const caption = el('span', 'lane-caption' + (drop ? ' drop-text' : ''), drop
        ? '✕ ' + drop.drop + ' at ' + drop.func + ', +' + formatDuration(drop.relNs)
        : lane.steps.length + ' probe points, +' + formatDuration(first) + ' to +' + formatDuration(last));
      const right = last / span > 0.6;
      caption.style[right ? 'right' : 'left'] = right ? (100 - last / span * 100).toFixed(3) + '%' : x(first);
      track.appendChild(caption);
    }
    row.appendChild(track);
    container.appendChild(row);

    for (const w of wires.filter(w => w.fromLane === i)) {
      const wireRow = el('div', 'swim-row wire');
      wireRow.appendChild(el('div', 'swim-label wire-label', 'wire ' + lanes[w.fromLane].host + ' → '
        + lanes[w.toLane].host));
      const wireTrack = el('div', 'swim-track');
      const hop = el('div', 'wire-bar');
      hop.setAttribute('aria-hidden', 'true');
      hop.style.left = x(w.startNs);
      hop.style.width = 'max(3px, calc(' + x(w.endNs) + ' - ' + x(w.startNs) + '))';
      wireTrack.appendChild(hop);
      const text = el('span', 'wire-caption', w.text);
      const right = w.endNs / span > 0.6;
      text.style[right ? 'right' : 'left'] = right ? (100 - w.endNs / span * 100).toFixed(3) + '%' : x(w.startNs);
      wireTrack.appendChild(text);
      wireRow.appendChild(wireTrack);
      container.appendChild(wireRow);
    }
  });
}
