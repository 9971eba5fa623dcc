// The diff page: two sides (a session, one host of a session, a journey or one host's packet) chosen in a form and
// carried in the URL (?left=&right=, plus the flow filter q and differing=1), compared by the diff API. Two paths
// are shown aligned as sequences with the first difference marked; two sessions per flow. Text only through
// textContent: hosts, probe points and reasons come from agents.

import { api, ApiError } from './api.js';
import { el, say, number } from './dom.js';
import { diffNs, formatDuration, formatTime, parseTime } from './time.js';
import { query } from './url-state.js';

const $ = id => document.getElementById(id);
const cfg = $('main').dataset;
const SIDES = ['left', 'right'];
const KEYS = ['left', 'right', 'q', 'differing'];
const onlySession = cfg.onlySession || null;
const hostsOf = new Map(); // session id -> Promise of its host names
let answer = null;         // the last diff shown

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
  try {
    answer = await api(cfg.diff + query({ left: view.left, right: view.right }));
  } catch (e) {
    $('diff-status').textContent = '';
    showProblem(e);
    return;
  }
  $('diff-status').textContent = '';
  say($('form-errors'), null);
  render(answer);
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
  if (d.mode === 'paths') renderPaths(d);
  else renderSessions(d);
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

function pointText(step, withHost) {
  if (!step) return 'nothing';
  const point = step.dropReason ? step.func + ' (' + step.dropReason + ')' : step.point;
  return withHost && step.host ? point + ' on ' + step.host : point;
}

/** "First difference: step 7 — left nf_hook_slow → kfree_skb_reason (NETFILTER_DROP), right ip_local_deliver → …". */
function divergenceText(div) {
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
function count(n, word) {
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
function renderRows(body, rows, divergence, { showTimes, showHosts }) {
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

function goToRow(rowOf) {
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

// ---- two sessions, per flow ------------------------------------------------------------------------------------

function flowText(f) {
  const end = (addr, port) => (addr || '?') + (port === null || port === undefined ? '' : ':' + port);
  return (f.proto || '') + ' ' + end(f.saddr, f.sport) + ' → ' + end(f.daddr, f.dport);
}

function differs(fd) {
  return !fd.left || !fd.right || fd.leftOnly.length || fd.rightOnly.length || fd.dropReasonsLeftOnly.length
    || fd.dropReasonsRightOnly.length || fd.firstDivergence;
}

/** "delivered 3, dropped 1"; drop reasons keyed "host REASON" (when hosts are compared) read "REASON on host 3". */
function countsText(map) {
  const entries = Object.entries(map || {});
  const key = k => k.includes(' ') ? k.substring(k.indexOf(' ') + 1) + ' on ' + k.substring(0, k.indexOf(' ')) : k;
  return entries.length ? entries.map(([k, n]) => key(k) + ' ' + number(n)).join(', ') : '—';
}

function countList(title, counts, kind) {
  const box = el('div', 'only ' + kind);
  box.appendChild(el('h4', null, title));
  const list = el('ul');
  for (const c of counts) {
    const item = el('li');
    const point = c.point.replace(/^(.*)\((.+)\)$/, '$1 ($2)');
    item.appendChild(el('code', /\(|^[A-Z_]+$/.test(c.point) ? 'point drop-text' : 'point', point));
    if (c.host) item.append(' on ' + c.host);
    item.appendChild(el('span', 'muted', ' — ' + count(c.journeys, 'packet') + ', ' + count(c.events, 'event')));
    list.appendChild(item);
  }
  box.appendChild(list);
  return box;
}

function flowArticle(fd, index) {
  const article = el('article', 'flow-diff' + (differs(fd) ? ' differs' : ''));
  article.dataset.text = [flowText(fd.flow), ...[fd.leftOnly, fd.rightOnly, fd.dropReasonsLeftOnly,
    fd.dropReasonsRightOnly].flat().map(c => (c.host || '') + ' ' + c.point),
  ...Object.keys((fd.left || {}).dropReasons || {}), ...Object.keys((fd.right || {}).dropReasons || {})]
    .join(' ').toLowerCase();
  const head = el('h3', null, flowText(fd.flow));
  head.appendChild(el('span', 'badge ' + (differs(fd) ? 'badge-differs' : 'badge-same'), differs(fd) ? 'differs' : 'same'));
  article.appendChild(head);

  const table = el('table', 'data compact flow-counts');
  table.appendChild(el('caption', 'visually-hidden', 'Counts on each side for ' + flowText(fd.flow)));
  const thead = table.createTHead().insertRow();
  for (const h of ['Count', 'Left', 'Right']) {
    const th = el('th', null, h);
    th.scope = 'col';
    thead.appendChild(th);
  }
  const body = table.createTBody();
  const line = (label, value) => {
    const tr = body.insertRow();
    const th = el('th', null, label);
    th.scope = 'row';
    tr.appendChild(th);
    for (const side of ['left', 'right']) {
      tr.appendChild(el('td', fd[side] ? null : 'muted', fd[side] ? value(fd[side])
        : 'not seen ' + (answer[side].host ? 'on ' + answer[side].host : 'in this session')));
    }
  };
  line('Packets', s => number(s.journeys));
  line('Outcome', s => countsText(s.states));
  line('Drop reasons', s => countsText(s.dropReasons));
  article.appendChild(table);

  const only = el('div', 'only-lists');
  if (fd.leftOnly.length) only.appendChild(countList('Probe points only on the left', fd.leftOnly, 'left'));
  if (fd.rightOnly.length) only.appendChild(countList('Probe points only on the right', fd.rightOnly, 'right'));
  if (fd.dropReasonsLeftOnly.length) only.appendChild(countList('Drop reasons only on the left', fd.dropReasonsLeftOnly, 'left'));
  if (fd.dropReasonsRightOnly.length) only.appendChild(countList('Drop reasons only on the right', fd.dropReasonsRightOnly, 'right'));
  if (only.childElementCount) article.appendChild(only);

  if (fd.firstDivergence) {
    article.appendChild(el('p', 'flow-divergence', divergenceText(fd.firstDivergence)
      + ' (the most common path of this flow on each side)'));
  }
  if (fd.rows && fd.rows.length) {
    const details = el('details');
    details.open = index === 0 && !!fd.firstDivergence;
    details.appendChild(el('summary', null, 'The most common path on each side, aligned'));
    const wrap = el('div', 'table-wrap');
    const t = el('table', 'data compact diff-table');
    t.appendChild(el('caption', 'visually-hidden', 'Most common paths of ' + flowText(fd.flow) + ', aligned'));
    const hr = t.createTHead().insertRow();
    const showHosts = fd.rows.some(r => (r.left && r.left.host) || (r.right && r.right.host));
    const headers = showHosts ? ['Step', 'Left', 'Host', 'Match', 'Right', 'Host'] : ['Step', 'Left', 'Match', 'Right'];
    for (const h of headers) {
      const th = el('th', h === 'Step' ? 'num' : null, h);
      th.scope = 'col';
      hr.appendChild(th);
    }
    renderRows(t.createTBody(), fd.rows, fd.firstDivergence, { showTimes: false, showHosts });
    wrap.appendChild(t);
    details.appendChild(wrap);
    article.appendChild(details);
  }
  return article;
}

function renderSessions(d) {
  const summary = $('summary');
  summary.replaceChildren();
  if (d.identical) {
    summary.textContent = 'No difference: ' + d.message + '.';
  } else if (d.firstDivergence && d.firstDivergence.firstDivergence) {
    summary.appendChild(el('strong', null, flowText(d.firstDivergence.flow) + ': '
      + divergenceText(d.firstDivergence.firstDivergence)));
  } else if (d.backendsDiffer) {
    summary.textContent = 'Flows are compared by outcome and drop reason only.';
  } else {
    const fd = d.flows.find(differs);
    const missing = fd && (!fd.left ? 'left' : !fd.right ? 'right' : null);
    summary.textContent = !fd ? 'Flows differ: see each flow below.'
      : missing ? flowText(fd.flow) + ': ' + count(fd[missing === 'left' ? 'right' : 'left'].journeys, 'packet')
        + ' on the ' + (missing === 'left' ? 'right' : 'left') + ', none on the ' + missing + '.'
      : flowText(fd.flow) + ' differs in its drop reasons: see below.';
  }
  const flows = $('flows');
  flows.replaceChildren();
  d.flows.forEach((fd, i) => flows.appendChild(flowArticle(fd, i)));
  if (d.flowsTruncated) flows.appendChild(el('p', 'muted', 'Only the ' + d.flows.length + ' most different flows are shown.'));
  if (!d.flows.length) flows.appendChild(el('p', 'muted', 'Neither side has a flow with addresses.'));
  applyFlowFilter();
}

function applyFlowFilter() {
  const q = $('flow-query').value.trim().toLowerCase();
  const onlyDiffering = $('only-differing').checked;
  const articles = [...$('flows').querySelectorAll('article.flow-diff')];
  let shown = 0;
  for (const a of articles) {
    a.hidden = (onlyDiffering && !a.classList.contains('differs')) || (q !== '' && !a.dataset.text.includes(q));
    if (!a.hidden) shown++;
  }
  $('flow-count').textContent = shown === articles.length
    ? count(articles.length, 'flow') : number(shown) + ' of ' + count(articles.length, 'flow');
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
