// One packet's path through the kernel of one host, as a waterfall: the probe points in time order, the time
// from the first and between each, the CPU, network namespace and interface (changes stand out), and where and
// why it was dropped. Text only through textContent.

import { diffNs, formatDuration, formatTime } from './time.js';
import { timeOf, tupleText } from './events.js';

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** What changed between two consecutive probe points of a packet: ["netns 1 → 2", "interface a → b", …]. */
function changes(previous, e) {
  if (!previous) return [];
  const out = [];
  if (previous.cpu !== e.cpu) out.push('CPU ' + previous.cpu + ' → ' + e.cpu);
  if (previous.netns !== e.netns) out.push('netns ' + previous.netns + ' → ' + e.netns);
  const iface = x => x.iface || (x.ifindex ? '#' + x.ifindex : '-');
  if (iface(previous) !== iface(e)) out.push('interface ' + iface(previous) + ' → ' + iface(e));
  return out;
}

/**
 * Draws the waterfall of {@code events} (one packet on one host, in time order) into {@code container}.
 * {@code view} = {utc, relativeTo}.
 */
export function renderWaterfall(container, events, view) {
  container.replaceChildren();
  if (events.length === 0) {
    container.appendChild(el('p', 'muted', 'No events of this packet are stored (yet).'));
    return;
  }
  const first = timeOf(events[0]);
  const total = Math.max(1, diffNs(first, timeOf(events[events.length - 1])));
  const drop = events.find(e => e.drop_reason);

  const summary = el('p', 'waterfall-summary');
  summary.append(el('span', null, events.length + ' probe points over ' + formatDuration(total)
    + ', from ' + formatTime(first, { utc: view.utc, relativeTo: view.relativeTo }) + '. '));
  if (drop) {
    summary.append(el('strong', 'drop-text', 'Dropped at ' + drop.func + ': ' + drop.drop_reason
      + (drop.location ? ' in ' + drop.location : '')));
  } else {
    summary.append(el('span', null, 'No drop recorded.'));
  }
  const tuple = events.map(e => e.tuple).find(Boolean);
  if (tuple) summary.append(el('span', 'muted', ' ' + tupleText(tuple)));
  container.appendChild(summary);

  const list = el('ol', 'waterfall');
  list.setAttribute('aria-label', 'Probe points in time order');
  let previous = null;
  events.forEach((e, i) => {
    const t = timeOf(e);
    const offset = diffNs(first, t);
    const next = events[i + 1];
    const span = next ? diffNs(t, timeOf(next)) : 0;
    const item = el('li', 'hop' + (e.drop_reason ? ' drop' : ''));

    const head = el('div', 'hop-head');
    head.append(el('span', 'hop-func', e.func));
    const delta = previous ? formatDuration(diffNs(timeOf(previous), t), true) : 'start';
    head.append(el('span', 'hop-delta', delta));
    head.append(el('span', 'hop-offset muted', 'at ' + formatDuration(offset)));
    item.appendChild(head);

    const track = el('div', 'hop-track');
    track.setAttribute('aria-hidden', 'true');
    const bar = el('div', 'hop-bar');
    bar.style.left = (offset / total * 100).toFixed(3) + '%';
    bar.style.width = Math.max(0.6, span / total * 100).toFixed(3) + '%';
    track.appendChild(bar);
    item.appendChild(track);

    const facts = el('div', 'hop-facts muted');
    facts.textContent = 'CPU ' + e.cpu + ' · netns ' + e.netns + ' · ' + (e.iface || (e.ifindex ? 'if#' + e.ifindex : 'no interface'))
      + ' · len ' + e.len + (e.process ? ' · ' + e.process : '');
    item.appendChild(facts);
    for (const change of changes(previous, e)) {
      item.appendChild(el('div', 'hop-change', change));
    }
    if (e.drop_reason) {
      item.appendChild(el('div', 'hop-drop', 'Dropped: ' + e.drop_reason + (e.location ? ' in ' + e.location : '')));
    }
    if (e.stack && e.stack.length) {
      const details = el('details', 'hop-stack');
      details.appendChild(el('summary', null, 'Kernel stack (' + e.stack.length + ' frames)'));
      details.appendChild(el('pre', null, e.stack.join('\n')));
      item.appendChild(details);
    }
    list.appendChild(item);
    previous = e;
  });
  container.appendChild(list);
}
