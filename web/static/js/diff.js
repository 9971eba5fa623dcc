// The diff page: two sides (a session, one host of a session, a journey or one host's packet) chosen in a form and
// carried in the URL (?left=&right=, plus the flow filter q and differing=1), compared by the diff API. Two paths
// are shown aligned as sequences with the first difference marked (diff-rows.js); two sessions per flow
// (diff-flows.js). Text only through textContent: hosts, probe points and reasons come from agents.

import { api, ApiError } from './api.js';
import { el, say, number } from './dom.js';
import { count, divergenceText, goToRow, renderRows } from './diff-rows.js';
import { filterFlows, renderSessions } from './diff-flows.js';
import { query } from './url-state.js';

const $ = id => document.getElementById(id);
const cfg = $('main').dataset;
const SIDES = ['left', 'right'];
const KEYS = ['left', 'right', 'q', 'differing'];
const onlySession = cfg.onlySession || null;
const hostsOf = new Map(); // session id -> Promise of its host names

// ---- the URL ---------------------------------------------------------------------------------------------------

function readUrl() {
  const params = new URLSearchParams(location.search);
  const view = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value) view[key] = value.trim();
  }
  return view;
}

function writeUrl(changes, push) {
  const view = { ...readUrl(), ...changes };
  const url = location.pathname + query(Object.fromEntries(KEYS.map(k => [k, view[k]])));
  if (url !== location.pathname + location.search) {
    (push ? history.pushState : history.replaceState).call(history, null, '', url);
  }
}

/** "12" and "12@node-a" are a session (and host) the form's lists can show; anything else goes in the text field. */
function parseSide(text) {
  const m = /^(\d+)(?:@(.+))?$/.exec(text || '');
  return m ? { session: m[1], host: m[2] || '' } : { ref: text || '' };
}

function sideOfForm(side) {
  const ref = $(side + '-ref').value.trim();
  if (ref) return ref;
  const session = $(side + '-session').value;
  if (!session) return '';
  const host = $(side + '-host').value;
  return host ? session + '@' + host : session;
}

// ---- the form --------------------------------------------------------------------------------------------------

async function loadSessions() {
  if (onlySession) {
    const detail = await api(cfg.session);
    hostsOf.set(onlySession, Promise.resolve(detail.hosts.map(h => h.host)));
    return [detail];
  }
  return api(cfg.sessions);
}

function sessionLabel(s) {
  return 'Session ' + s.id + ' · ' + s.state + ' · ' + (s.filter || '(every packet)')
    + (s.events !== undefined && s.events !== null ? ' · ' + number(s.events) + ' events' : '');
}

function fillSessions(sessions) {
  for (const side of SIDES) {
    const select = $(side + '-session');
    select.replaceChildren(el('option', null, '(choose a session)'));
    select.options[0].value = '';
    for (const s of sessions) {
      const option = el('option', null, sessionLabel(s));
      option.value = String(s.id);
      select.appendChild(option);
    }
  }
}

function hostNames(session) {
  if (!hostsOf.has(session)) {
    hostsOf.set(session, api(onlySession ? cfg.session : cfg.session + session).then(d => d.hosts.map(h => h.host), () => []));
  }
  return hostsOf.get(session);
}

async function fillHosts(side, session, chosen) {
  const select = $(side + '-host');
  select.replaceChildren(el('option', null, 'every host'));
  select.options[0].value = '';
  if (!session) return;
  const names = await hostNames(session);
  if ($(side + '-session').value !== session) return; // changed meanwhile
  for (const name of names) {
    const option = el('option', null, name);
    option.value = name;
    select.appendChild(option);
  }
  if (chosen && !names.includes(chosen)) {
    const option = el('option', null, chosen + ' (not in this session)');
    option.value = chosen;
    select.appendChild(option);
  }
  select.value = chosen || '';
}

/** Puts a side's text into the form: a session (and host) in the lists when it is one, else the text field. */
async function fillSide(side, text) {
  const parsed = parseSide(text);
  const select = $(side + '-session');
  $(side + '-ref').value = parsed.ref || '';
  if (parsed.session && ![...select.options].some(o => o.value === parsed.session)) {
    const option = el('option', null, 'Session ' + parsed.session);
    option.value = parsed.session;
    select.appendChild(option);
  }
  select.value = parsed.session || '';
  await fillHosts(side, parsed.session || '', parsed.host || '');
}

function showFieldMessage(side, message) {
  const p = $(side + '-message');
  p.textContent = message || '';
  p.className = 'field-message' + (message ? ' error' : '');
  for (const id of [side + '-session', side + '-ref']) {
    if (message) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }
}

function clearProblems() {
  SIDES.forEach(side => showFieldMessage(side, null));
  say($('form-errors'), null);
}

async function submit(event) {
  event.preventDefault();
  clearProblems();
  const left = sideOfForm('left');
  const right = sideOfForm('right');
  const missing = SIDES.filter((side, i) => ![left, right][i]);
  for (const side of missing) {
    showFieldMessage(side, 'Choose a session, or type a packet (12:node-a:17) or a journey (12:3-17).');
  }
  if (missing.length) {
    say($('form-errors'), 'Both sides are needed: choose the ' + missing.join(' and ') + ' side.', 'error');
    $(missing[0] + '-session').focus();
    return;
  }
  writeUrl({ left, right }, true);
  await compare(true);
}

// ---- the comparison -------------------------------------------------------------------------------------------

async function compare(focus) {
  const view = readUrl();
  $('result').hidden = true;
  if (!view.left || !view.right) {
    if (view.left || view.right) {
      const missing = view.left ? 'right' : 'left';
      $('diff-status').textContent = 'Choose the ' + missing + ' side to compare with, then press Compare.';
    }
    return;
  }
  $('diff-status').textContent = 'Comparing ' + view.left + ' with ' + view.right + '…';
  let d;
  try {
    d = await api(cfg.diff + query({ left: view.left, right: view.right }));
  } catch (e) {
    $('diff-status').textContent = '';
    showProblem(e);
    return;
  }
  $('diff-status').textContent = '';
  say($('form-errors'), null);
  render(d);
  $('result').hidden = false;
  if (focus) $('result-title').focus();
}

/** The API's problem, next to the side it names when it names one, with what to do about it. */
function showProblem(e) {
  if (!(e instanceof ApiError)) {
    say($('form-errors'), String(e), 'error');
    return;
  }
  let named = false;
  for (const side of SIDES) {
    const message = e.fieldMessage(side);
    if (message) {
      showFieldMessage(side, message);
      named = true;
    }
  }
  const next = e.status === 404
    ? ' Choose another session, or check the packet or journey id (the session page shows them).'
    : e.status === 409 ? ' Compare one host\'s packet instead (session:host:packet).'
    : e.status === 400 && !named ? ' Write each side as 12, 12@host, 12:journey or 12:host:packet.'
    : e.status === 400 ? ' Correct the side named below the form.'
    : '';
  say($('form-errors'), e.detail + '.' + next, 'error');
}

function render(d) {
  const backends = $('backends');
  backends.replaceChildren();
  backends.hidden = !d.backendsDiffer;
  if (d.backendsDiffer) {
    const notice = el('p', 'message warning backends-differ');
    notice.appendChild(el('strong', null, 'Different backends. '));
    notice.append(d.message.charAt(0).toUpperCase() + d.message.substring(1) + '.');
    backends.appendChild(notice);
  }
  $('path-result').hidden = d.mode !== 'paths';
  $('session-result').hidden = d.mode !== 'sessions';
  renderSides(d);
  if (d.mode === 'paths') {
    renderPaths(d);
  } else {
    renderSessions(d, $('summary'), $('flows'));
    applyFlowFilter();
  }
}

function sideLink(text, session, pkt) {
  const href = (onlySession ? cfg.sessionPage : cfg.sessionPage + session) + (pkt ? query({ pkt }) : '');
  const a = el('a', null, text);
  a.href = href;
  return a;
}

function renderSides(d) {
  const box = $('sides');
  box.replaceChildren();
  for (const side of SIDES) {
    const s = d[side];
    const card = el('div', 'diff-side ' + side);
    card.appendChild(el('h3', null, (side === 'left' ? 'Left: ' : 'Right: ') + describe(s)));
    const facts = el('p', 'facts');
    if (d.mode === 'paths') {
      facts.appendChild(s.dropReason ? el('span', 'drop-text', 'dropped on ' + s.dropHost + ': ' + s.dropReason)
        : el('span', 'state-' + s.state, s.state));
      facts.append(' · ' + count(s.steps, 'probe point'));
    } else {
      facts.append(count(s.journeys, 'packet') + ' (journeys) · ' + count(s.events, 'event')
        + (s.complete ? '' : ' · still being traced'));
    }
    if (s.backends && s.backends.length) facts.append(' · ' + s.backends.join(', '));
    facts.append(' · ');
    const steps = d.mode === 'paths' ? (d.rows.length ? d.rows.map(r => r[side]).filter(Boolean) : d[side + 'Steps'] || []) : [];
    const first = steps[0];
    facts.appendChild(sideLink('open session ' + s.session, s.session, first ? first.host + ':' + first.packet : null));
    card.appendChild(facts);
    box.appendChild(card);
  }
}

function describe(s) {
  if (s.packet !== undefined && s.packet !== null) return 'session ' + s.session + ', packet ' + s.packet + ' on ' + s.host;
  if (s.journey) return 'session ' + s.session + ', journey ' + s.journey;
  return 'session ' + s.session + (s.host ? ', host ' + s.host : ', every host');
}

// ---- two paths -------------------------------------------------------------------------------------------------

function renderPaths(d) {
  const summary = $('summary');
  summary.replaceChildren();
  let rows = d.rows;
  if (d.backendsDiffer) {
    const n = Math.max(d.leftSteps.length, d.rightSteps.length);
    rows = Array.from({ length: n }, (_, i) => ({ op: 'unaligned', left: d.leftSteps[i], right: d.rightSteps[i] }));
    summary.textContent = 'Outcome: left ' + outcome(d.left) + ', right ' + outcome(d.right)
      + '. The two paths are listed side by side, not aligned.';
  } else if (d.identical) {
    summary.textContent = 'No difference: both paths pass the same ' + number(d.rows.length) + ' probe points'
      + (d.byHost ? ' on the same hosts.' : '.');
  } else {
    summary.appendChild(el('strong', null, divergenceText(d.firstDivergence)));
    summary.append(' ');
    summary.appendChild(goToRow(() => $('path-rows').tBodies[0].rows[d.firstDivergence.row]));
  }
  renderRows($('path-rows').tBodies[0], rows, d.backendsDiffer ? null : d.firstDivergence,
    { showTimes: true, showHosts: true });
}

function outcome(s) {
  return s.state + (s.dropReason ? ' (' + s.dropReason + ' on ' + s.dropHost + ')' : '');
}

function applyFlowFilter() {
  $('flow-count').textContent = filterFlows($('flows'), $('flow-query').value.trim().toLowerCase(),
    $('only-differing').checked);
}

// ---- wiring ----------------------------------------------------------------------------------------------------

function filterChanged() {
  writeUrl({ q: $('flow-query').value.trim() || null, differing: $('only-differing').checked ? '1' : null }, false);
  applyFlowFilter();
}

async function fillFromUrl() {
  const view = readUrl();
  clearProblems();
  await Promise.all([fillSide('left', view.left || (onlySession || '')), fillSide('right', view.right || '')]);
  if (!view.right && !$('right-ref').value) {
    // One host of a session on the left: most likely another host of the same session on the right.
    const left = parseSide(view.left);
    const same = onlySession || (left.host ? left.session : '');
    if (same) await fillSide('right', same);
  }
  $('flow-query').value = view.q || '';
  $('only-differing').checked = view.differing === '1';
}

async function init() {
  $('diff-form').addEventListener('submit', submit);
  $('swap').addEventListener('click', async () => {
    const left = sideOfForm('left');
    const right = sideOfForm('right');
    await Promise.all([fillSide('left', right), fillSide('right', left)]);
    $('diff-form').requestSubmit();
  });
  for (const side of SIDES) {
    $(side + '-session').addEventListener('change', () => {
      $(side + '-ref').value = '';
      fillHosts(side, $(side + '-session').value, '');
    });
  }
  $('flow-filter').addEventListener('submit', e => e.preventDefault());
  $('flow-query').addEventListener('input', filterChanged);
  $('only-differing').addEventListener('change', filterChanged);
  window.addEventListener('popstate', async () => {
    await fillFromUrl();
    compare(false);
  });
  try {
    fillSessions(await loadSessions());
  } catch (e) {
    say($('form-errors'), 'The sessions could not be listed: ' + e.message + '. Reload the page, or type the sides.', 'error');
  }
  await fillFromUrl();
  const view = readUrl();
  if (view.left && !view.right) $('right-session').focus();
  await compare(false);
}

init();
