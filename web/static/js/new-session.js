// The filter builder: a pcap filter checked by the server's compiler as it is typed, hosts picked by name or by
// label, netns/mark/interface/probe-point filters, output options and limits. Problems come back from the API
// as problem details and are shown next to the field they concern (and summarised at the top).

import { api, ApiError } from './api.js';
import { el, td } from './dom.js';

const $ = id => document.getElementById(id);
const form = $('new-session');
const CHECK_DELAY_MS = 250;

// ---- the filter, checked as it is typed ---------------------------------------------------------------------

let checkTimer = null;
let checking = null;

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkFilter, CHECK_DELAY_MS);
}

async function checkFilter() {
  const filter = $('filter').value;
  if (checking) checking.abort();
  checking = new AbortController();
  try {
    await api('/api/filters/check', { method: 'POST', body: { filter }, signal: checking.signal });
    setFieldMessage('filter', null);
    $('filter-message').textContent = filter.trim() ? 'The filter compiles.' : 'No filter: every packet is traced.';
    $('filter-message').className = 'field-message ok';
  } catch (e) {
    if (e.name === 'AbortError') return;
    setFieldMessage('filter', e instanceof ApiError ? (e.fieldMessage('filter') || e.message) : e.message);
  }
}

// ---- hosts -------------------------------------------------------------------------------------------------------

async function loadHosts() {
  const wanted = new Set((new URLSearchParams(location.search).get('hosts') || '').split(',').filter(Boolean));
  let hosts;
  try {
    hosts = await api('/api/hosts');
  } catch (e) {
    showSummary([e.message]);
    return;
  }
  const body = $('host-picker').tBodies[0];
  body.replaceChildren();
  if (hosts.length === 0) {
    const row = document.createElement('tr');
    const cell = td('No host has connected yet: start an agent first (see the README).', 'muted');
    cell.colSpan = 6;
    row.appendChild(cell);
    body.appendChild(row);
  }
  hosts.forEach((h, i) => {
    const row = document.createElement('tr');
    const pick = document.createElement('td');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'host-' + i;
    box.name = 'hosts';
    box.value = h.name;
    box.checked = wanted.has(h.name);
    box.dataset.state = h.state;
    pick.appendChild(box);
    row.appendChild(pick);
    const name = document.createElement('td');
    const label = el('label', null, h.name);
    label.htmlFor = box.id;
    name.appendChild(label);
    row.appendChild(name);
    row.appendChild(td(h.state, 'state-' + h.state));
    row.appendChild(td(h.kernel || ''));
    row.appendChild(td(h.backend || ''));
    row.appendChild(td(Object.entries(h.labels || {}).map(([k, v]) => k + '=' + v).join(', ')));
    body.appendChild(row);
  });
}

function selectedHosts() {
  return [...form.querySelectorAll('input[name="hosts"]:checked')].map(b => b.value);
}

// ---- the request and its problems ------------------------------------------------------------------------------

function parseLabels(text) {
  const labels = {};
  for (const part of text.split(',').map(p => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ApiError(400, 'labels: write key=value', [{ field: 'labels', message: 'write key=value, not "' + part + '"' }]);
    labels[part.substring(0, eq).trim()] = part.substring(eq + 1).trim();
  }
  return labels;
}

function request() {
  const options = {};
  for (const input of form.querySelectorAll('[data-option]')) {
    if (input.type === 'checkbox') {
      if (input.checked) options[input.dataset.option] = true;
    } else if (input.value.trim() !== '') {
      options[input.dataset.option] = input.value.trim();
    }
  }
  const number = id => ($(id).value.trim() === '' ? null : Number($(id).value));
  return {
    filter: $('filter').value,
    hosts: selectedHosts(),
    labels: parseLabels($('labels').value),
    durationSeconds: number('durationSeconds'),
    maxEventsPerHost: number('maxEventsPerHost'),
    options,
  };
}

/** The input and message element of an API field name, or null for fields shown only in the summary. */
function fieldElements(field) {
  if (field === 'hosts' || field.startsWith('hosts[')) return { input: null, message: $('hosts-message') };
  if (field.startsWith('options.')) {
    const name = field.substring('options.'.length);
    const input = form.querySelector('[data-option="' + CSS.escape(name) + '"]');
    const message = $('opt-' + name + '-message');
    return input ? { input, message } : null;
  }
  const input = $(field);
  const message = $(field + '-message');
  return input && message ? { input, message } : null;
}

function setFieldMessage(field, text) {
  const target = fieldElements(field);
  if (!target) return false;
  if (target.message) {
    target.message.textContent = text || '';
    target.message.className = 'field-message' + (text ? ' error' : '');
  }
  if (target.input) {
    if (text) target.input.setAttribute('aria-invalid', 'true');
    else target.input.removeAttribute('aria-invalid');
  }
  return true;
}

function clearMessages() {
  for (const m of form.querySelectorAll('.field-message')) {
    m.textContent = '';
    m.className = 'field-message';
  }
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  showSummary([]);
}

function showSummary(lines) {
  const box = $('form-errors');
  box.replaceChildren();
  box.hidden = lines.length === 0;
  if (lines.length === 0) return;
  box.appendChild(el('p', null, 'The trace was not started:'));
  const list = document.createElement('ul');
  for (const line of lines) list.appendChild(el('li', null, line));
  box.appendChild(list);
}

const FIELD_NAMES = { filter: 'Filter', hosts: 'Hosts', labels: 'Labels', durationSeconds: 'Stop after',
  maxEventsPerHost: 'Events per host' };

function showProblem(e) {
  const lines = [];
  if (e instanceof ApiError && e.errors.length) {
    for (const error of e.errors) {
      setFieldMessage(error.field, error.message);
      const base = error.field.replace(/\[\d+\]$/, '');
      lines.push((FIELD_NAMES[base] || error.field) + ': ' + error.message);
    }
  } else {
    lines.push(e.message);
  }
  showSummary(lines);
  $('form-errors').focus();
  if (!(e instanceof ApiError && e.fieldMessage('filter'))) checkFilter();
}

async function submit(event) {
  event.preventDefault();
  clearMessages();
  $('start').disabled = true;
  try {
    const created = await api('/api/sessions', { method: 'POST', body: request() });
    location.assign('/sessions/' + created.id);
  } catch (e) {
    showProblem(e);
    $('start').disabled = false;
  }
}

$('filter').addEventListener('input', scheduleCheck);
$('select-online').addEventListener('click', () => {
  for (const box of form.querySelectorAll('input[name="hosts"]')) box.checked = box.dataset.state === 'online';
});
$('select-none').addEventListener('click', () => {
  for (const box of form.querySelectorAll('input[name="hosts"]')) box.checked = false;
});
$('form-errors').tabIndex = -1;
form.addEventListener('submit', submit);
loadHosts();
