// The journeys page: a session's packets followed across its hosts, in the order they were first seen, filtered by
// state, host pair and drop reason (the filters are in the URL), paged by the API's keyset cursor ("More").

import { api, ApiError } from './api.js';
import { el, say, number } from './dom.js';
import { HostColours } from './events.js';
import { dropText, flowText, hostsElement, stateElement, STATE_HELP } from './journey-format.js';
import { formatTime, parseTime, zoneLabel, zoneOffset } from './time.js';
import { query, readView, updateView } from './url-state.js';

const FILTERS = ['state', 'host', 'host2', 'reason'];
const KEYS = [...FILTERS, 'tz'];
const PAGE = 100;
const LIVE_STATES = new Set(['pending', 'running', 'stopping']);
/** While the join is incomplete, the first page asks again this often (the server redoes the join at most every 5 s). */
const AUTO_REFRESH_MS = 5000;

const $ = id => document.getElementById(id);
const cfg = $('main').dataset;
const colours = new HostColours();
let view = readView(KEYS);
let next = null;
let shown = 0;
let session = null;
let loading = null;
let autoRefresh = null;
let sessionLoaded = Promise.resolve(); // rows are drawn once the hosts have their colours (the session view's order)

function filtersOf(v) {
  return Object.fromEntries(FILTERS.filter(k => v[k]).map(k => [k, v[k]]));
}

function journeyUrl(id) {
  return cfg.page + '/journeys/' + encodeURIComponent(id) + query({ tz: view.tz });
}

// ---- the session's hosts and drop reasons, for the filters ---------------------------------------------------

async function loadSession() {
  session = await api(cfg.detail);
  $('state').textContent = session.state;
  $('state').className = 'badge state-' + session.state;
  for (const h of session.hosts) colours.of(h.host);
  // the choice stays as it is: the URL's, or what the user picked meanwhile
  for (const id of ['f-host', 'f-host2']) {
    const select = $(id);
    const chosen = select.value;
    for (const h of session.hosts) {
      if (![...select.options].some(o => o.value === h.host)) select.appendChild(new Option(h.host, h.host));
    }
    select.value = chosen;
  }
  try {
    const summary = await api(cfg.api + '/summary');
    for (const reason of Object.keys(summary.dropsByReason || {}).sort()) {
      $('drop-reasons').appendChild(new Option(reason, reason));
    }
  } catch (e) {
    // the reasons only help typing; the list works without them
  }
}

function fillFilterForm() {
  $('f-state').value = view.state || '';
  for (const key of ['host', 'host2']) {
    const select = $('f-' + key);
    if (view[key] && ![...select.options].some(o => o.value === view[key])) {
      select.appendChild(new Option(view[key], view[key]));
    }
    select.value = view[key] || '';
  }
  $('f-reason').value = view.reason || '';
}

function readFilterForm() {
  return {
    state: $('f-state').value || null,
    host: $('f-host').value || null,
    host2: $('f-host2').value || null,
    reason: $('f-reason').value.trim() || null,
  };
}

// ---- the list ------------------------------------------------------------------------------------------------

function row(j) {
  const tr = document.createElement('tr');
  if (j.state === 'dropped') tr.className = 'drop';
  const open = document.createElement('th');
  open.scope = 'row';
  const link = el('a', null, j.id);
  link.href = journeyUrl(j.id);
  link.setAttribute('aria-label', 'Journey ' + j.id + ': ' + j.state + ', ' + j.hosts.join(' to '));
  open.appendChild(link);
  tr.appendChild(open);
  const first = document.createElement('td');
  first.className = 'time';
  first.textContent = formatTime(parseTime(j.first), { utc: view.tz === 'utc', digits: 6, zone: false });
  tr.appendChild(first);
  const state = document.createElement('td');
  state.appendChild(stateElement(j));
  state.title = STATE_HELP[j.state] || '';
  tr.appendChild(state);
  const hosts = document.createElement('td');
  hosts.appendChild(hostsElement(j.hosts, colours));
  tr.appendChild(hosts);
  tr.appendChild(el('td', 'flow', flowText(j)));
  tr.appendChild(el('td', j.dropReason ? 'drop-text' : 'muted', dropText(j) || '–'));
  tr.appendChild(el('td', 'num', String(j.segments)));
  return tr;
}

async function load({ more = false } = {}) {
  clearTimeout(autoRefresh);
  if (loading) loading.abort();
  const controller = new AbortController();
  loading = controller;
  const params = { ...filtersOf(view), limit: PAGE, after: more ? next : null };
  $('list-info').textContent = 'Loading…';
  $('more').disabled = true;
  let page;
  try {
    page = await api(cfg.api + '/journeys' + query(params), { signal: controller.signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    $('list-info').textContent = '';
    showProblem(e);
    return;
  } finally {
    $('more').disabled = false;
  }
  say($('errors'), null);
  await sessionLoaded;
  showFieldError(null);
  const body = $('journeys').tBodies[0];
  if (!more) {
    body.replaceChildren();
    shown = 0;
  }
  for (const j of page.journeys) {
    for (const h of j.hosts) colours.of(h);
    body.appendChild(row(j));
  }
  shown += page.journeys.length;
  next = page.next;
  $('more').hidden = !next;
  $('list-info').textContent = shown === 0 ? '' : number(shown) + (shown === 1 ? ' journey' : ' journeys') + ' shown'
    + (Object.keys(filtersOf(view)).length ? ' (filtered)' : '') + (next ? '; more below' : '');
  renderJoin(page.join);
  renderEmpty(page.join, body);
  if (more && page.journeys.length) body.rows[shown - page.journeys.length].querySelector('a').focus();
  if (!page.join.complete && !more) autoRefresh = setTimeout(refreshQuietly, AUTO_REFRESH_MS);
}

/**
 * The first page again, unless the user has gone past it ("more"), is moving through the rows with the keyboard
 * (redrawing them would lose their place), or is not looking; then Refresh does it.
 */
function refreshQuietly() {
  const list = $('journeys');
  if (shown > PAGE || list.contains(document.activeElement)) return;
  if (document.hidden) {
    autoRefresh = setTimeout(refreshQuietly, AUTO_REFRESH_MS);
    return;
  }
  load();
}

function isLive() {
  return LIVE_STATES.has(session ? session.state : cfg.state);
}

/** How much of the session the journeys cover: all of it, or what was stored when the join last ran. */
function renderJoin(join) {
  const live = isLive();
  if (join.complete) {
    say($('join-status'), number(join.events) + ' stored events joined into ' + number(join.journeys)
      + ' journeys (' + number(join.segments) + ' lanes; sightings on different hosts within ' + join.windowMs
      + ' ms of each other, beyond their clocks\' uncertainty, can be one packet).');
    return;
  }
  const when = formatTime(parseTime(join.computedAt), { utc: view.tz === 'utc', digits: 0, date: false });
  say($('join-status'), 'The join is not complete: it covers ' + number(join.events) + ' of the '
    + number(join.sessionEvents) + ' events stored so far (joined at ' + when + '). '
    + (live ? 'The session is still running, so packets still in flight show as unknown and new ones appear; '
      + 'the first page refreshes itself every few seconds (Refresh does it now).'
      : 'Events are still arriving; the first page refreshes itself in a few seconds.'), 'warning');
}

function renderEmpty(join, body) {
  const box = $('empty');
  box.replaceChildren();
  const filtered = Object.keys(filtersOf(view)).length > 0;
  if (shown > 0) {
    const single = [...body.rows].every(r => r.querySelectorAll('.host-name').length <= 1);
    box.hidden = !single;
    if (single) {
      box.appendChild(el('p', 'message info', 'Each packet listed was seen on one host only. Sightings on '
        + 'several hosts are joined by the packet\'s fingerprint (addresses, ports, IP ID, TCP sequence, a hash of '
        + 'the payload): trace the hosts on the packet\'s path in one session, with agents recent enough to send '
        + 'fingerprints.'));
    }
    return;
  }
  box.hidden = false;
  if (filtered) {
    const p = el('p', 'message info', 'No journey matches these filters (the session has ' + number(join.journeys)
      + ' in all). ');
    const clear = el('button', 'link-button', 'Clear the filters');
    clear.type = 'button';
    clear.addEventListener('click', () => apply({}));
    p.appendChild(clear);
    box.appendChild(p);
  } else if (join.sessionEvents === 0) {
    box.appendChild(el('p', 'message info', 'No journeys: the session has no stored events yet. '
      + (isLive() ? 'Journeys appear once packets matching the session\'s filter pass its hosts; press Refresh then.'
        : 'It ended without a packet matching its filter.')));
  } else {
    box.appendChild(el('p', 'message info', 'No journeys yet: the session\'s ' + number(join.sessionEvents)
      + ' events are not joined yet. Press Refresh in a few seconds.'));
  }
}

// ---- filters, errors -----------------------------------------------------------------------------------------

function apply(filters) {
  view = updateView(Object.fromEntries(FILTERS.map(k => [k, filters[k] || null])), { push: true, keys: KEYS });
  fillFilterForm();
  load();
}

const FIELD_INPUT = { state: 'f-state', host: 'f-host', host2: 'f-host2', reason: 'f-reason' };

function showFieldError(field, message) {
  for (const id of Object.values(FIELD_INPUT)) $(id).removeAttribute('aria-invalid');
  if (!field) {
    say($('filter-error'), null);
    return;
  }
  const input = $(FIELD_INPUT[field]);
  if (input) input.setAttribute('aria-invalid', 'true');
  say($('filter-error'), (input ? input.labels[0].textContent : field) + ': ' + message
    + '. Change the filter or clear it.', 'error');
}

function showProblem(e) {
  if (e instanceof ApiError && e.errors.length && FIELD_INPUT[e.errors[0].field]) {
    showFieldError(e.errors[0].field, e.errors[0].message);
  } else if (e instanceof ApiError && e.status === 404) {
    say($('errors'), e.message + '. ' + (cfg.readOnly === 'true'
      ? 'The share link may have been revoked or have expired: ask whoever sent it for a new one.'
      : 'The session may have been deleted: see the session list.'), 'error');
  } else {
    say($('errors'), (e instanceof Error ? e.message : String(e)) + '. Press Refresh to try again.', 'error');
  }
}

function setTimeDisplay() {
  view = updateView({ tz: $('tz').value === 'utc' ? 'utc' : null }, { keys: KEYS });
  $('first-header').textContent = 'First seen (' + zoneOffset(view.tz === 'utc') + ')';
  $('zone').textContent = zoneLabel(view.tz === 'utc');
}

function wire() {
  $('filters').addEventListener('submit', e => {
    e.preventDefault();
    apply(readFilterForm());
  });
  $('clear-filters').addEventListener('click', () => apply({}));
  $('more').addEventListener('click', () => load({ more: true }));
  $('refresh').addEventListener('click', () => load());
  $('tz').addEventListener('change', () => {
    setTimeDisplay();
    load();
  });
  window.addEventListener('popstate', () => {
    view = readView(KEYS);
    fillFilterForm();
    load();
  });
}

async function init() {
  wire();
  $('tz').value = view.tz === 'utc' ? 'utc' : 'local';
  setTimeDisplay();
  fillFilterForm();
  sessionLoaded = loadSession().catch(showProblem);
  await load();
}

init();
