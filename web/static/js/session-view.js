// The session page: one session, live while it runs (the live stream) or stored (pages of the events API), for a
// signed-in user or, read-only, through a share link. The view — filters, time range, cursor, selected packet,
// time display — is in the URL (url-state.js).

import { api, ApiError } from './api.js';
import { el, td, say, lossElement, number } from './dom.js';
import { EventBuffer, HostColours, matches, renderEventRow, timeOf } from './events.js';
import { LiveStream, PollingStream } from './live-stream.js';
import { formatTime, inputToIso, isoToInput, parseTime, zoneLabel, zoneOffset } from './time.js';
import { FILTER_KEYS, filtersOf, query, readView, updateView } from './url-state.js';
import { VirtualList } from './virtual-list.js';
import { renderWaterfall } from './waterfall.js';

const BUFFER_EVENTS = 50_000;
const ROW_HEIGHT = 28;
const LIVE_STATES = new Set(['pending', 'running', 'stopping']);

const main = document.getElementById('main');
const cfg = main.dataset;
const $ = id => document.getElementById(id);

const colours = new HostColours();
const buffer = new EventBuffer(BUFFER_EVENTS);
let view = readView();
let detail = null;
let mode = null;          // 'live' or 'stored'
let stream = null;
let paused = false;
let pending = [];
let pendingLost = 0;
let nextCursor = null;
let lastStatusAt = 0;
let charts = null;        // RateCharts, loaded with the first status frame
let pathEvents = null;

const list = new VirtualList($('event-grid'), $('event-rows'), {
  rowHeight: ROW_HEIGHT,
  renderRow: (row, e) => renderEventRow(row, e, timeView()),
  onActivate: e => openPath(e.host, e.packet_id, e.time),
  onFollowChange: following => {
    $('follow').setAttribute('aria-pressed', String(following));
  },
});

let shownTimes = null; // timeView(), made once per change of the time display or of the session's facts

function timeView() {
  if (!shownTimes) {
    const relative = view.rel === '1' && detail ? parseTime(detail.startedAt || detail.createdAt) : null;
    shownTimes = { utc: view.tz === 'utc', relativeTo: relative, colours };
  }
  return shownTimes;
}

// ---- the session: facts, state, actions --------------------------------------------------------------------

async function loadDetail() {
  detail = await api(cfg.detail);
  shownTimes = null;
  for (const h of detail.hosts) colours.of(h.host);
  $('state').textContent = detail.state;
  $('state').className = 'badge state-' + detail.state;
  const facts = $('session-facts');
  facts.replaceChildren();
  const filter = el('code', 'filter-text', detail.filter || '(every packet)');
  facts.append(el('span', null, 'Filter '), filter);
  const options = Object.entries(detail.options || {});
  if (options.length) facts.append(el('span', null, ' · ' + options.map(([k, v]) => k + '=' + v).join(', ')));
  facts.append(el('span', null, ' · started by ' + detail.createdBy + ' at '
    + formatTime(parseTime(detail.startedAt || detail.createdAt), { utc: view.tz === 'utc', digits: 0 })));
  if (detail.endedAt) {
    facts.append(el('span', null, ', ended ' + formatTime(parseTime(detail.endedAt), { utc: view.tz === 'utc', digits: 0 })));
  }
  if (detail.durationSeconds) facts.append(el('span', null, ' · at most ' + detail.durationSeconds + ' s'));
  if (detail.maxEventsPerHost) facts.append(el('span', null, ' · at most ' + number(detail.maxEventsPerHost) + ' events per host'));
  if (detail.stateReason) facts.append(el('span', null, ' · ' + detail.stateReason));
  const live = LIVE_STATES.has(detail.state);
  if ($('stop')) $('stop').hidden = !(cfg.canStop === 'true' && live);
  if ($('share')) $('share').hidden = cfg.canShare !== 'true';
  $('mode-live').disabled = !live;
  renderHostProblems(detail.hosts);
  renderDownloads();
  renderCompareHosts(detail.hosts);
  return detail;
}

/** Hosts that failed to arm or are offline: an alert naming each with the reason. */
function renderHostProblems(hosts) {
  const problems = hosts.filter(h => h.state === 'failed' || h.state === 'offline');
  const region = $('host-problems');
  region.replaceChildren();
  region.hidden = problems.length === 0;
  for (const h of problems) {
    region.appendChild(el('p', 'message ' + (h.state === 'failed' ? 'error' : 'warning'),
      h.host + ' is ' + h.state + (h.reason ? ': ' + h.reason : '')));
  }
}

/** "Compare two hosts…": the session's first two hosts side by side on the diff page (either can be changed there). */
function renderCompareHosts(hosts) {
  const link = $('compare-hosts');
  link.hidden = hosts.length < 2;
  if (hosts.length >= 2) {
    link.href = cfg.compare + query({ left: cfg.session + '@' + hosts[0].host, right: cfg.session + '@' + hosts[1].host });
  }
}

// ---- hosts: state, counts, loss, gaps, rate ------------------------------------------------------------------

function renderHosts(hosts, dropsByReason) {
  const body = $('host-status').tBodies[0];
  const openGaps = new Set([...body.querySelectorAll('details[open]')].map(d => d.dataset.host));
  body.replaceChildren();
  for (const h of hosts) {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    const swatch = el('span', 'swatch ' + colours.of(h.host));
    swatch.setAttribute('aria-hidden', 'true');
    name.append(swatch, document.createTextNode(h.host));
    row.appendChild(name);
    row.appendChild(td(h.state + (h.endReason ? ' (' + h.endReason + ')' : '') + (h.reason ? ': ' + h.reason : ''),
      'state-' + h.state));
    row.appendChild(td(number(h.events), 'num'));
    row.appendChild(td(number(h.drops), h.drops ? 'num drop-text' : 'num'));
    row.appendChild(td(h.rate === undefined ? '–' : h.rate.toFixed(1), 'num'));
    const loss = document.createElement('td');
    loss.appendChild(lossElement(h.lost || h.loss));
    row.appendChild(loss);
    row.appendChild(gapsCell(h.host, h.gaps || [], openGaps.has(h.host)));
    body.appendChild(row);
  }
  const drops = $('drops-by-reason');
  drops.replaceChildren();
  const entries = Object.entries(dropsByReason || {}).sort((a, b) => b[1] - a[1]);
  $('no-drops').hidden = entries.length > 0;
  for (const [reason, count] of entries) {
    const item = document.createElement('li');
    const button = el('button', 'link-button', reason);
    button.type = 'button';
    button.setAttribute('aria-label', 'Show only drops with reason ' + reason);
    button.addEventListener('click', () => applyFilters({ ...filtersOf(view), dropReason: reason }));
    item.append(button, el('span', 'num drop-count', number(count)));
    drops.appendChild(item);
  }
}

function gapsCell(host, gaps, open) {
  const cell = document.createElement('td');
  if (gaps.length === 0) {
    cell.appendChild(el('span', 'muted', 'none'));
    return cell;
  }
  const details = document.createElement('details');
  details.dataset.host = host;
  details.open = open;
  details.appendChild(el('summary', 'gap-text', gaps.length + (gaps.length === 1 ? ' gap' : ' gaps')));
  const items = document.createElement('ul');
  const tv = timeView();
  for (const g of gaps) {
    items.appendChild(el('li', null, formatTime(parseTime(g.from), { utc: tv.utc, digits: 3 }) + ' – '
      + (g.to ? formatTime(parseTime(g.to), { utc: tv.utc, digits: 3, date: false }) : 'now') + ': ' + (g.reason || '')));
  }
  details.appendChild(items);
  cell.appendChild(details);
  return cell;
}

async function loadSummary() {
  const summary = await api(cfg.summary);
  renderHosts(summary.hosts, summary.dropsByReason);
  $('total-events').textContent = number(summary.events) + ' events stored, ' + number(summary.drops) + ' drops';
  return summary;
}

async function onStatus(frame) {
  lastStatusAt = Date.now();
  renderHosts(frame.hosts, frame.dropsByReason);
  if (typeof frame.events === 'number') {
    $('total-events').textContent = number(frame.events) + ' events stored'
      + (typeof frame.drops === 'number' ? ', ' + number(frame.drops) + ' drops' : '');
  }
  if (frame.state && detail && frame.state !== detail.state) loadDetail().catch(showError);
  if (!charts) {
    const { RateCharts } = await import('./rate-chart.js');
    charts = charts || new RateCharts($('rate-charts'), colours);
  }
  charts.add(Date.now() / 1000, frame.hosts);
}

// ---- events: live ----------------------------------------------------------------------------------------------

function startLive() {
  mode = 'live';
  setModeUi();
  buffer.clear();
  list.setItems(buffer.items);
  list.setFollowing(true);
  const handlers = {
    onEvents: (events, seq, dropped) => {
      if (paused) {
        pending.push(...events);
        if (pending.length > BUFFER_EVENTS) {
          pendingLost += pending.length - BUFFER_EVENTS;
          pending.splice(0, pending.length - BUFFER_EVENTS);
        }
      } else {
        append(events);
      }
      updateBufferInfo(seq, dropped);
    },
    onStatus: frame => onStatus(frame).catch(showError),
    onMissed: frame => {
      const link = el('button', 'link-button', 'show the stored events from then');
      link.type = 'button';
      const since = buffer.items.length ? buffer.items[buffer.items.length - 1].time : (detail.startedAt || detail.createdAt);
      link.addEventListener('click', () => showStored({ from: since }));
      const why = frame.reason === 'restarted' ? 'the server restarted' : 'they left the server\'s live buffer';
      const p = el('p', 'message warning', number(frame.count) + ' events (sequence ' + frame.from + '–' + frame.to
        + ') could not be sent live: ' + (frame.message || why) + '. They are stored: ');
      p.appendChild(link);
      $('notices').appendChild(p);
    },
    onEnd: () => {
      say($('stream-state'), 'The session ended; its events are stored.');
      loadDetail().then(loadSummary).catch(showError);
    },
    onError: frame => (frame.field ? showFieldError(frame.field, frame.message) : showError(frame.message)),
    onConnection: (state, info) => {
      const text = state === 'connected' ? 'Live: connected'
        : state === 'connecting' ? 'Live: connecting…'
        : state === 'polling' ? 'Live stream unavailable: new stored events are fetched every 2 s'
        : state === 'reconnecting' ? 'Connection lost; reconnecting in ' + Math.round(info.waitMs / 100) / 10
          + ' s and resuming where it left off'
        : state === 'refused' ? 'Live view ended: ' + (info.reason || 'refused by the server')
        : 'Live: closed';
      if (state === 'refused') showError('The server ended the live view: ' + (info.reason || 'refused'));
      $('connection').textContent = text;
      $('connection').className = 'connection ' + state;
      if (state === 'reconnecting' && info.failures >= 2) checkStillReadable();
    },
    onUnavailable: () => {
      stream = new PollingStream(cfg.events, handlers);
      stream.start(filtersOf(view));
    },
  };
  stream = new LiveStream(cfg.live, handlers);
  stream.start(filtersOf(view));
}

/**
 * The stream keeps failing to reconnect: is the session still there for this viewer? A revoked or expired share
 * link, a deleted session or a signed-out user ends the view with the server's words instead of retrying.
 */
async function checkStillReadable() {
  try {
    await api(cfg.detail);
  } catch (e) {
    if (e instanceof ApiError && [401, 403, 404].includes(e.status)) {
      if (stream) stream.close();
      $('connection').textContent = 'Live view ended';
      $('connection').className = 'connection closed';
      showError(e);
    }
  }
}

function append(events) {
  const removed = buffer.push(events);
  list.appended(removed); // drawn at the next animation frame, once for every batch until then
  // Only the dashboard benchmark (scripts/bench-dashboard) defines this: it times events to the screen.
  window.__skbtrailMeasure?.shown(events);
}

function updateBufferInfo(seq, dropped) {
  const parts = [number(buffer.items.length) + ' events in view'];
  if (buffer.evicted) parts.push(number(buffer.evicted) + ' older ones left the view (stored, see Stored)');
  if (paused && pending.length) parts.push(number(pending.length) + ' new while paused');
  if (pendingLost) parts.push(number(pendingLost) + ' skipped while paused');
  if (dropped) parts.push(number(dropped) + ' not delivered to this view (too slow)');
  if (seq !== null && seq !== undefined) parts.push('sequence ' + seq);
  $('buffer-info').textContent = parts.join(' · ');
  $('buffer-info').classList.toggle('lost', !!dropped);
}

function togglePause() {
  paused = !paused;
  $('pause').setAttribute('aria-pressed', String(paused));
  $('pause').textContent = paused ? 'Resume' : 'Pause';
  if (!paused && pending.length) {
    const events = pending;
    pending = [];
    append(events);
  }
  updateBufferInfo(stream && stream.lastSeq, stream && stream.dropped);
}

// ---- events: stored ----------------------------------------------------------------------------------------------

async function loadPage() {
  const params = { ...filtersOf(view), from: view.from, to: view.to, after: view.after, limit: view.limit || '500' };
  $('page-info').textContent = 'Loading…';
  try {
    const page = await api(cfg.events + query(params));
    nextCursor = page.next;
    buffer.clear();
    buffer.push(page.events);
    list.setFollowing(false);
    list.setItems(buffer.items);
    $('next-page').disabled = !nextCursor;
    $('first-page').disabled = !view.after;
    const first = page.events[0];
    $('page-info').textContent = page.events.length === 0 ? 'No events match.'
      : page.events.length + ' events from ' + formatTime(timeOf(first), { utc: view.tz === 'utc', digits: 6 })
        + (nextCursor ? '; more on the next page' : '; the last page');
    showFieldError(null);
  } catch (e) {
    $('page-info').textContent = '';
    if (e instanceof ApiError && e.errors.length) showFieldError(e.errors[0].field, e.errors[0].message);
    else showError(e);
  }
}

function startStored() {
  mode = 'stored';
  if (stream) stream.close();
  stream = null;
  setModeUi();
  $('from').value = isoToInput(view.from, view.tz === 'utc');
  $('to').value = isoToInput(view.to, view.tz === 'utc');
  $('limit').value = view.limit || '500';
  return loadPage();
}

function showStored(changes) {
  view = updateView({ ...changes, after: null }, { push: true });
  return startStored();
}

function setModeUi() {
  $('mode-live').setAttribute('aria-pressed', String(mode === 'live'));
  $('mode-stored').setAttribute('aria-pressed', String(mode === 'stored'));
  $('live-bar').hidden = mode !== 'live';
  $('page-bar').hidden = mode !== 'stored';
}

// ---- filters ---------------------------------------------------------------------------------------------------

function fillFilterForm() {
  for (const key of FILTER_KEYS) $('f-' + key).value = view[key] || '';
}

function readFilterForm() {
  const filter = {};
  for (const key of FILTER_KEYS) {
    const value = $('f-' + key).value.trim();
    if (value) filter[key] = value;
  }
  return filter;
}

function applyFilters(filter) {
  const changes = Object.fromEntries(FILTER_KEYS.map(k => [k, filter[k] || null]));
  view = updateView({ ...changes, after: null }, { push: true });
  fillFilterForm();
  showFieldError(null);
  if (mode === 'live') {
    buffer.clear();
    list.setItems(buffer.items);
    list.setFollowing(true);
    stream.setFilter(filtersOf(view));
  } else {
    loadPage();
  }
  renderDownloads();
}

function showFieldError(field, message) {
  for (const key of FILTER_KEYS) {
    $('f-' + key).removeAttribute('aria-invalid');
  }
  const region = $('filter-error');
  if (!field) {
    say(region, null);
    return;
  }
  const input = $('f-' + field);
  if (input) input.setAttribute('aria-invalid', 'true');
  say(region, (input ? input.labels[0].textContent + ': ' : field + ': ') + message, 'error');
}

// ---- the packet's path -------------------------------------------------------------------------------------------

/** {@code time}: the event opened, when known (an agent may reuse a packet id: its journey is the one at that time). */
async function openPath(host, packet, time) {
  view = updateView({ pkt: host + ':' + packet });
  const panel = $('path-panel');
  panel.hidden = false;
  main.classList.add('with-path');
  $('path-title').textContent = 'Packet ' + packet + ' on ' + host;
  $('path-compare').href = cfg.compare + query({ left: cfg.session + ':' + host + ':' + packet });
  $('waterfall').replaceChildren(el('p', 'muted', 'Loading…'));
  $('follow-journey').hidden = true;
  try {
    const page = await api(cfg.events + query({ host, packet, limit: 10000 }));
    pathEvents = page.events;
    followJourneyLink(host, packet, time || (pathEvents[0] && pathEvents[0].time));
    renderWaterfall($('waterfall'), pathEvents, timeView());
    if (page.next) $('waterfall').appendChild(el('p', 'muted', 'Only the first 10,000 probe points are shown.'));
  } catch (e) {
    $('waterfall').replaceChildren(el('p', 'message error', e.message));
  }
  $('path-title').focus();
}

/** The journey page of this packet: the server finds the journey holding this host's packet at that time. */
function followJourneyLink(host, packet, time) {
  if (!time) return;
  $('follow-journey').href = cfg.page + '/journeys/find' + query({ host, packet, time });
  $('follow-journey').hidden = false;
}

function closePath() {
  view = updateView({ pkt: null });
  $('path-panel').hidden = true;
  main.classList.remove('with-path');
  pathEvents = null;
  $('event-grid').focus();
}

function openPathFromView() {
  if (!view.pkt) return;
  const colon = view.pkt.lastIndexOf(':');
  if (colon > 0) openPath(view.pkt.substring(0, colon), view.pkt.substring(colon + 1));
}

// ---- search, time display, downloads, share, stop ----------------------------------------------------------------

function find(direction) {
  const q = $('search').value.trim().toLowerCase();
  const info = $('search-info');
  if (!q) {
    info.textContent = '';
    return;
  }
  const items = buffer.items;
  const n = items.length;
  const total = items.reduce((count, e) => count + (matches(e, q) ? 1 : 0), 0);
  if (total === 0) {
    info.textContent = 'No event in view matches “' + q + '”.';
    return;
  }
  let i = list.selected >= 0 ? list.selected : direction > 0 ? -1 : n;
  for (let step = 0; step < n; step++) {
    i = (i + direction + n) % n;
    if (matches(items[i], q)) break;
  }
  list.setFollowing(false);
  list.select(i, { scroll: true });
  info.textContent = 'Row ' + (i + 1) + ' of ' + n + '; ' + total + (total === 1 ? ' event matches.' : ' events match.');
}

/** The time column's header says the zone (its cells leave the offset out), or that times are since the start. */
function timeHeader() {
  const utc = view.tz === 'utc';
  $('time-header').textContent = view.rel === '1' ? 'Since start' : 'Time (' + zoneOffset(utc) + ')';
  $('zone').textContent = zoneLabel(utc);
}

function setTimeDisplay() {
  view = updateView({ tz: $('tz').value === 'utc' ? 'utc' : null, rel: $('rel').checked ? '1' : null });
  shownTimes = null;
  timeHeader();
  list.redraw();
  if (pathEvents) renderWaterfall($('waterfall'), pathEvents, timeView());
}

function renderDownloads() {
  if (!detail) return;
  const params = query({ ...filtersOf(view), from: view.from, to: view.to });
  $('dl-ndjson').href = cfg.api + '/events.ndjson' + params;
  $('dl-csv').href = cfg.api + '/events.csv' + params;
  const bytes = Number((detail.options || {})['output-packet-bytes'] || 0);
  $('dl-pcapng').href = cfg.api + '/events.pcapng' + params;
  $('dl-pcapng').hidden = bytes <= 0;
  $('no-pcap').hidden = bytes > 0;
}

async function share() {
  const panel = $('share-panel');
  try {
    const link = await api('/api/sessions/' + cfg.session + '/share', { method: 'POST' });
    panel.hidden = false;
    // the link opens this same view: the session's share URL with this view's parameters
    $('share-url').value = link.url + location.search;
    $('share-url').dataset.token = link.token;
    say($('share-status'), 'Anyone with this link can read this session (opening this view), without an account, '
      + 'until you revoke it.');
    $('share-url').select();
  } catch (e) {
    showError(e);
  }
}

async function copyShare() {
  const input = $('share-url');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch (e) {
    input.select();
    document.execCommand('copy');
  }
  say($('share-status'), 'Link copied.');
}

async function revokeShare(token) {
  try {
    await api('/api/share/' + encodeURIComponent(token), { method: 'DELETE' });
    say($('share-status'), 'Link revoked: it opens nothing any more.', 'info');
    $('share-url').value = '';
  } catch (e) {
    say($('share-status'), e.message, 'error');
  }
}

async function stop() {
  $('stop').disabled = true;
  try {
    await api('/api/sessions/' + cfg.session + '/stop', { method: 'POST' });
    say($('stream-state'), 'Stopping: the hosts send their last events.');
    await loadDetail();
  } catch (e) {
    showError(e);
  } finally {
    $('stop').disabled = false;
  }
}

function showError(e) {
  say($('errors'), e instanceof Error ? e.message : String(e), 'error');
}

// ---- wiring --------------------------------------------------------------------------------------------------

function wire() {
  $('filters').addEventListener('submit', e => {
    e.preventDefault();
    applyFilters(readFilterForm());
  });
  $('clear-filters').addEventListener('click', () => applyFilters({}));
  $('mode-live').addEventListener('click', () => {
    view = updateView({ from: null, to: null, after: null }, { push: true });
    startLive();
  });
  $('mode-stored').addEventListener('click', () => showStored({}));
  $('pause').addEventListener('click', togglePause);
  $('follow').addEventListener('click', () => list.setFollowing(!list.following));
  $('page-bar').addEventListener('submit', e => {
    e.preventDefault();
    const utc = view.tz === 'utc';
    showStored({ from: inputToIso($('from').value, utc), to: inputToIso($('to').value, utc), limit: $('limit').value });
  });
  $('next-page').addEventListener('click', () => {
    if (!nextCursor) return;
    view = updateView({ after: nextCursor }, { push: true });
    loadPage();
  });
  $('first-page').addEventListener('click', () => {
    view = updateView({ after: null }, { push: true });
    loadPage();
  });
  $('search-form').addEventListener('submit', e => {
    e.preventDefault();
    find(1);
  });
  $('find-previous').addEventListener('click', () => find(-1));
  $('tz').addEventListener('change', setTimeDisplay);
  $('rel').addEventListener('change', setTimeDisplay);
  $('path-close').addEventListener('click', closePath);
  $('path-panel').addEventListener('keydown', e => {
    if (e.key === 'Escape') closePath();
  });
  if (cfg.canShare === 'true') {
    $('stop').addEventListener('click', stop);
    $('share').addEventListener('click', share);
    $('copy-share').addEventListener('click', copyShare);
    $('revoke-share').addEventListener('click', () => {
      if ($('share-url').dataset.token) revokeShare($('share-url').dataset.token);
    });
    $('revoke-form').addEventListener('submit', e => {
      e.preventDefault();
      const text = $('revoke-link').value.trim().split(/[?#]/)[0];
      const token = text.substring(text.lastIndexOf('/') + 1);
      if (token) revokeShare(token);
    });
  }
  window.addEventListener('popstate', () => {
    view = readView();
    shownTimes = null;
    fillFilterForm();
    if (mode === 'stored') startStored();
    if (view.pkt) openPathFromView();
    else if (!$('path-panel').hidden) closePath();
  });
}

async function init() {
  wire();
  $('tz').value = view.tz === 'utc' ? 'utc' : 'local';
  $('rel').checked = view.rel === '1';
  timeHeader();
  fillFilterForm();
  // A session that no longer ran when the page was made is shown stored: its first events page is asked for at
  // once, alongside the session's facts, rather than after them; its summary (hosts, drops) once the events are in.
  const storedAtOnce = !LIVE_STATES.has(cfg.state) || view.after || view.from || view.to;
  const firstPage = storedAtOnce ? startStored() : null;
  const summary = firstPage ? firstPage.then(loadSummary) : loadSummary();
  summary.catch(() => {}); // reported below, once the facts are in
  try {
    await loadDetail();
    await summary;
  } catch (e) {
    showError(e);
    return;
  }
  if (firstPage) {
    await firstPage;
    if (view.rel === '1') list.redraw(); // times since the start need the session's start
  } else if (LIVE_STATES.has(detail.state)) {
    startLive();
  } else {
    await startStored();
  }
  openPathFromView();
  // Hosts' state and counts while live, also when no status frame comes (polling, or an older server).
  setInterval(() => {
    if (detail && LIVE_STATES.has(detail.state) && Date.now() - lastStatusAt > 4000) {
      loadDetail().then(loadSummary).catch(() => {});
    }
  }, 3000);
}

init();
