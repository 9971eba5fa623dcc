// Two paths aligned as sequences, as table rows (the diff page's path diff, and each flow's most common paths):
// one row per probe point, a dash where a side has none, the first divergence marked. Text only through textContent.

import { el, number } from './dom.js';
import { diffNs, formatDuration, formatTime, parseTime } from './time.js';

function pointText(step, withHost) {
  if (!step) return 'nothing';
  const point = step.dropReason ? step.func + ' (' + step.dropReason + ')' : step.point;
  return withHost && step.host ? point + ' on ' + step.host : point;
}

/** "First difference: step 7 — left nf_hook_slow → kfree_skb_reason (NETFILTER_DROP), right ip_local_deliver → …". */
export function divergenceText(div) {
  const after = div.after ? pointText(div.after, true) + ' → ' : '(start) → ';
  const side = s => s ? after + pointText(s, true) : after + 'nothing (the path ends here)';
  return 'First difference: step ' + (div.row + 1) + ' — left ' + side(div.left) + ', right ' + side(div.right);
}

const OPS = {
  same: ['=', 'same point'],
  changed: ['≠', 'different points'],
  left: ['◀', 'only on the left'],
  right: ['▶', 'only on the right'],
  unaligned: ['·', 'not compared'],
};

/** "1 packet", "3 packets". */
export function count(n, word) {
  return number(n) + ' ' + word + (n === 1 ? '' : 's');
}

function pointCell(side, step) {
  const cell = el('td', 'side-' + side);
  if (!step) {
    cell.classList.add('gap');
    cell.appendChild(el('span', 'muted', '—'));
    cell.appendChild(el('span', 'visually-hidden', 'nothing'));
    return cell;
  }
  cell.appendChild(el('code', 'point', step.func || step.point));
  if (step.dropReason) cell.appendChild(el('span', 'drop-text', ' ' + step.dropReason));
  if (step.location) cell.appendChild(el('span', 'muted', ' @' + step.location));
  return cell;
}

function timeCell(side, step, first) {
  const cell = el('td', 'num side-' + side + (step ? '' : ' gap'));
  if (!step || !step.time || !first) return cell;
  if (step.host === first.host) {
    cell.textContent = formatDuration(diffNs(parseTime(first.time), parseTime(step.time)), true);
    cell.title = formatTime(parseTime(step.time)) + ' on ' + step.host + '\'s clock';
  } else {
    // Another host's clock, lined up with the first host's by the journey's estimate (JSON numbers are doubles:
    // whole microseconds are all they carry exactly at this size).
    cell.textContent = '≈ ' + formatDuration(Math.round((step.alignedNs - first.alignedNs) / 1000) * 1000, true);
    cell.title = formatTime(parseTime(step.time)) + ' on ' + step.host + '\'s clock, lined up with ' + first.host
      + '\'s within the uncertainty the journey states';
  }
  return cell;
}

/**
 * Rows of two aligned paths into a table body; the first divergence's row marked. Hosts and times are columns
 * only when the steps have them.
 */
export function renderRows(body, rows, divergence, { showTimes, showHosts }) {
  body.replaceChildren();
  const firstOf = side => (rows.find(r => r[side]) || {})[side];
  const firsts = { left: firstOf('left'), right: firstOf('right') };
  rows.forEach((r, i) => {
    const tr = document.createElement('tr');
    tr.className = 'diff-' + r.op;
    const step = el('th', 'num', String(i + 1));
    step.scope = 'row';
    tr.appendChild(step);
    const cells = side => {
      tr.appendChild(pointCell(side, r[side]));
      if (showHosts) tr.appendChild(el('td', 'host side-' + side + (r[side] ? '' : ' gap'), r[side] ? r[side].host || '' : ''));
      if (showTimes) tr.appendChild(timeCell(side, r[side], firsts[side]));
    };
    cells('left');
    const [symbol, words] = OPS[r.op] || OPS.unaligned;
    const match = el('td', 'match');
    match.appendChild(el('span', null, symbol));
    match.firstChild.setAttribute('aria-hidden', 'true');
    match.appendChild(el('span', 'visually-hidden', words));
    tr.appendChild(match);
    cells('right');
    if (divergence && divergence.row === i) {
      tr.classList.add('first-divergence');
      tr.tabIndex = -1;
      match.appendChild(el('span', 'divergence-mark', 'first difference'));
    }
    body.appendChild(tr);
  });
}

export function goToRow(rowOf) {
  const button = el('button', 'link-button', 'Show it');
  button.type = 'button';
  button.addEventListener('click', () => {
    const row = rowOf();
    if (!row) return;
    const details = row.closest('details');
    if (details) details.open = true;
    row.scrollIntoView({ block: 'center' });
    row.focus();
  });
  return button;
}
