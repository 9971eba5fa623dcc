// The hosts overview: every host an agent registered, its state, kernel, backend, event rate and loss, refreshed
// every few seconds. Operators pick hosts here to start a trace on them.

import { api } from './api.js';
import { td, say, lossElement, number, keepingFocus } from './dom.js';
import { formatDuration, formatTime, parseTime } from './time.js';

const $ = id => document.getElementById(id);
const canOperate = document.getElementById('main').dataset.canOperate === 'true';
const selected = new Set();

function render(hosts) {
  const body = $('hosts').tBodies[0];
  body.replaceChildren();
  $('no-hosts').hidden = hosts.length > 0;
  const online = hosts.filter(h => h.state === 'online').length;
  $('host-count').textContent = online + ' online, ' + (hosts.length - online) + ' offline';
  hosts.forEach((h, i) => {
    const row = document.createElement('tr');
    if (canOperate) {
      const cell = document.createElement('td');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = 'pick-' + i;
      box.dataset.key = 'pick ' + h.name;
      box.checked = selected.has(h.name);
      box.setAttribute('aria-label', 'Select ' + h.name);
      box.addEventListener('change', () => {
        if (box.checked) selected.add(h.name);
        else selected.delete(h.name);
        updateSelection();
      });
      cell.appendChild(box);
      row.appendChild(cell);
    }
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = h.name;
    row.appendChild(name);
    row.appendChild(td(h.state, 'state-' + h.state));
    row.appendChild(td((h.kernel || '') + (h.arch ? ' ' + h.arch : '')));
    row.appendChild(td(h.backend || ''));
    row.appendChild(td(h.eventsPerSecond.toFixed(1), 'num'));
    const loss = document.createElement('td');
    loss.appendChild(lossElement(h.lost));
    row.appendChild(loss);
    row.appendChild(td(h.bufferedEvents === null ? '' : number(h.bufferedEvents), 'num'));
    row.appendChild(td(h.clockOffsetNs === null ? ''
      : formatDuration(h.clockOffsetNs, true) + ' ± ' + formatDuration(h.clockUncertaintyNs || 0)));
    row.appendChild(td(Object.entries(h.labels || {}).map(([k, v]) => k + '=' + v).join(', ')));
    row.appendChild(td(formatTime(parseTime(h.lastSeen), { digits: 0 })));
    body.appendChild(row);
  });
}

function updateSelection() {
  if (!canOperate) return;
  $('selected-hosts').value = [...selected].join(',');
  $('trace-button').disabled = selected.size === 0;
  $('selection-info').textContent = selected.size === 0 ? 'Select hosts below, or start a trace by label on the next page.'
    : selected.size + (selected.size === 1 ? ' host selected.' : ' hosts selected.');
}

async function refresh() {
  try {
    const hosts = await api('/api/hosts');
    keepingFocus($('hosts'), () => render(hosts));
    say($('errors'), null);
  } catch (e) {
    say($('errors'), e.message, 'error');
  }
}

refresh();
setInterval(refresh, 3000);
