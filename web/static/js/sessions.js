// The session list: every session, newest first, with its state and counts; admins can delete ended ones.

import { api } from './api.js';
import { el, td, say, number, keepingFocus } from './dom.js';
import { formatTime, parseTime } from './time.js';

const $ = id => document.getElementById(id);
const isAdmin = document.getElementById('main').dataset.isAdmin === 'true';
const LIVE = new Set(['pending', 'running', 'stopping']);

function render(sessions) {
  const body = $('sessions').tBodies[0];
  body.replaceChildren();
  $('no-sessions').hidden = sessions.length > 0;
  for (const s of sessions) {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    const link = el('a', null, 'Session ' + s.id);
    link.href = '/sessions/' + s.id;
    link.dataset.key = 'open ' + s.id;
    name.appendChild(link);
    row.appendChild(name);
    row.appendChild(td(s.state + (s.stateReason ? ': ' + s.stateReason : ''), 'state-' + s.state));
    const filter = document.createElement('td');
    filter.appendChild(el('code', null, s.filter || '(every packet)'));
    row.appendChild(filter);
    row.appendChild(td(String(s.hosts), 'num'));
    row.appendChild(td(number(s.events), 'num'));
    row.appendChild(td(formatTime(parseTime(s.startedAt || s.createdAt), { digits: 0 })));
    row.appendChild(td(s.endedAt ? formatTime(parseTime(s.endedAt), { digits: 0 }) : ''));
    row.appendChild(td(s.createdBy));
    if (isAdmin) {
      const cell = document.createElement('td');
      if (!LIVE.has(s.state)) {
        const button = el('button', 'danger small', 'Delete');
        button.type = 'button';
        button.dataset.key = 'delete ' + s.id;
        button.setAttribute('aria-label', 'Delete session ' + s.id + ' and its events');
        button.addEventListener('click', () => remove(s.id));
        cell.appendChild(button);
      }
      row.appendChild(cell);
    }
    body.appendChild(row);
  }
}

async function remove(id) {
  if (!confirm('Delete session ' + id + ' and all its events? This cannot be undone.')) return;
  try {
    await api('/api/sessions/' + id, { method: 'DELETE' });
    say($('notices'), 'Session ' + id + ' deleted.');
    refresh();
  } catch (e) {
    say($('errors'), e.message, 'error');
  }
}

async function refresh() {
  try {
    const sessions = await api('/api/sessions');
    keepingFocus($('sessions'), () => render(sessions));
  } catch (e) {
    say($('errors'), e.message, 'error');
  }
}

refresh();
setInterval(refresh, 5000);
