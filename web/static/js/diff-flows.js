// Two sessions (or two hosts' parts of sessions) per flow, as cards: packets, outcomes and drop reasons on each
// side, what only one side has and how often, the flow's first difference and its most common paths aligned.

import { el, number } from './dom.js';
import { count, divergenceText, renderRows } from './diff-rows.js';

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

function flowArticle(fd, index, d) {
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
        : 'not seen ' + (d[side].host ? 'on ' + d[side].host : 'in this session')));
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

/** A session diff: its summary into {@code summary}, one card per flow into {@code flows}. */
export function renderSessions(d, summary, flows) {
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
  flows.replaceChildren();
  d.flows.forEach((fd, i) => flows.appendChild(flowArticle(fd, i, d)));
  if (d.flowsTruncated) flows.appendChild(el('p', 'muted', 'Only the ' + d.flows.length + ' most different flows are shown.'));
  if (!d.flows.length) flows.appendChild(el('p', 'muted', 'Neither side has a flow with addresses.'));
}

/** Hides the flow cards that do not contain {@code q} (or do not differ); "2 of 5 flows". */
export function filterFlows(flows, q, onlyDiffering) {
  const articles = [...flows.querySelectorAll('article.flow-diff')];
  let shown = 0;
  for (const a of articles) {
    a.hidden = (onlyDiffering && !a.classList.contains('differs')) || (q !== '' && !a.dataset.text.includes(q));
    if (!a.hidden) shown++;
  }
  return shown === articles.length ? count(articles.length, 'flow') : number(shown) + ' of ' + count(articles.length, 'flow');
}
