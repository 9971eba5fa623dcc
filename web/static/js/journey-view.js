// The journey page: one packet across the session's hosts — each host's kernel path as a lane on the common
// clock, the time on the wire between hosts with its uncertainty, where and why it was dropped, and how the hosts
// were joined. Times are relative to the packet's first sighting; the time display (tz) is in the URL.

import { api, ApiError } from './api.js';
import { el, number, say } from './dom.js';
import { HostColours, tupleText } from './events.js';
import { dropText, flowText, hostsElement, STATE_HELP } from './journey-format.js';
import { diffNs, formatDuration, formatTime, parseTime } from './time.js';
import { query, readView, updateView } from './url-state.js';
import { renderSwimlanes } from './swimlanes.js';

const KEYS = ['tz'];
const $ = id => document.getElementById(id);
const cfg = $('main').dataset;
const colours = new HostColours();
let view = readView(KEYS);
let journey = null;

function journeyPage(id) {
  return cfg.page + '/journeys/' + encodeURIComponent(id) + query({ tz: view.tz });
}

/** "+300.0 ms ± 45.0 µs", or "not measured" when the host's clock was never measured and causality left it open. */
function clockText(offsetNs, uncertaintyNs) {
  return 'clock ' + formatDuration(offsetNs, true) + (uncertaintyNs === null || uncertaintyNs === undefined
    ? ' (uncertainty unknown: never measured)' : ' ± ' + formatDuration(uncertaintyNs));
}

/** Each event's time on the common clock, in ns since the journey's first sighting (exact: {s, ns} arithmetic). */
function prepare(j) {
  const origin = parseTime(j.first);
  const lanes = j.lanes.map(lane => {
    const steps = lane.events.map(e => ({
      relNs: diffNs(origin, parseTime(e.time)) - lane.clockOffsetNs,
      func: e.func,
      drop: e.drop_reason || null,
      event: e,
    }));
    steps.sort((a, b) => a.relNs - b.relNs);
    return {
      host: lane.host,
      packet: lane.packet + (lane.generation ? '.' + lane.generation : ''),
      colour: colours.of(lane.host),
      clockText: clockText(lane.clockOffsetNs, lane.clockUncertaintyNs),
      lane,
      steps,
    };
  });
  const laneOf = (host, packet, after) => {
    for (let i = after + 1; i < lanes.length; i++) {
      if (lanes[i].lane.host === host && lanes[i].lane.packet === packet) return i;
    }
    return lanes.findIndex(l => l.lane.host === host && l.lane.packet === packet);
  };
  const wires = [];
  for (const w of j.wire) {
    const fromLane = laneOf(w.from, w.fromPacket, -1);
    const toLane = laneOf(w.to, w.toPacket, fromLane);
    if (fromLane < 0 || toLane < 0 || !lanes[toLane].steps.length) continue;
    const endNs = lanes[toLane].steps[0].relNs;
    wires.push({ ...w, fromLane, toLane, endNs, startNs: endNs - w.ns, text: wireText(w) });
  }
  const totalNs = Math.max(0, ...lanes.flatMap(l => l.steps.map(s => s.relNs)));
  return { lanes, wires, totalNs };
}

/** "12.3 µs on the wire ± 4.1 µs (8.2 µs – 16.4 µs)". */
function wireText(w) {
  return formatDuration(w.ns) + ' on the wire' + (w.uncertaintyNs === null
    ? ' (uncertainty unknown: a clock was never measured)'
    : ' ± ' + formatDuration(w.uncertaintyNs) + ' (' + formatDuration(w.minNs) + ' – ' + formatDuration(w.maxNs) + ')');
}

// ---- the page --------------------------------------------------------------------------------------------------

function renderFacts(j) {
  $('state').textContent = j.state + (j.ambiguous ? ' · ambiguous' : '');
  $('state').className = 'badge state-' + j.state;
  $('state').title = STATE_HELP[j.state] || '';
  const facts = $('journey-facts');
  facts.replaceChildren();
  facts.appendChild(hostsElement(j.hosts, colours));
  facts.append(' · ', el('code', 'flow', flowText(j)));
  facts.append(el('span', null, ' · first seen ' + formatTime(parseTime(j.first), { utc: view.tz === 'utc', digits: 6 })
    + ', ' + formatDuration(diffNs(parseTime(j.first), parseTime(j.last))) + ' from first to last sighting · '
    + j.segments + (j.segments === 1 ? ' lane' : ' lanes')));
}

function renderOutcome(j) {
  const box = $('outcome');
  box.hidden = false;
  box.replaceChildren();
  const last = j.hosts[j.hosts.length - 1];
  if (j.state === 'dropped') {
    const p = el('p', 'message error drop-point');
    p.appendChild(el('strong', null, 'Dropped on ' + j.dropHost + ': ' + j.dropReason));
    p.append(el('span', null, (j.dropFunc ? ' in ' + j.dropFunc : '') + (j.dropProbe ? ' (probe point '
      + j.dropProbe + ')' : '') + '.'));
    box.appendChild(p);
  } else if (j.state === 'delivered') {
    box.appendChild(el('p', 'message info', 'Delivered on ' + last + ': it ' + STATE_HELP.delivered + '.'));
  } else if (j.state === 'forwarded') {
    box.appendChild(el('p', 'message info', 'Forwarded: ' + last + ' handed it to a device; it left the traced hosts.'));
  } else {
    box.appendChild(el('p', 'message warning', 'Outcome unknown after ' + last + ': ' + STATE_HELP.unknown + '.'));
  }
}

/** The step tables: every probe point of each lane, and each wire hop between them, as text. */
function renderSteps(prepared) {
  const container = $('steps');
  container.replaceChildren();
  prepared.lanes.forEach((lane, i) => {
    const section = el('section', 'lane-steps');
    const headingId = 'lane-' + i;
    const heading = el('h3', null);
    heading.id = headingId;
    const swatch = el('span', 'swatch ' + lane.colour);
    swatch.setAttribute('aria-hidden', 'true');
    heading.append(swatch, document.createTextNode(lane.host), el('span', 'muted', ' · packet ' + lane.packet
      + ' · ' + lane.clockText + measuredText(lane.lane)));
    section.appendChild(heading);
    const wrap = el('div', 'table-wrap');
    const table = el('table', 'data compact steps');
    table.setAttribute('aria-labelledby', headingId);
    const head = table.createTHead().insertRow();
    for (const name of ['#', 'Probe point', 'Since first seen', 'Step', 'Interface', 'Netns', 'CPU', 'Len', 'Packet',
      'Drop']) {
      const th = el('th', ['Since first seen', 'Step', 'Len', '#'].includes(name) ? 'num' : null, name);
      th.scope = 'col';
      head.appendChild(th);
    }
    const body = table.createTBody();
    lane.steps.forEach((step, n) => {
      const e = step.event;
      const tr = body.insertRow();
      if (step.drop) tr.className = 'drop';
      tr.appendChild(el('td', 'num', String(n + 1)));
      const func = el('th', 'func', e.func);
      func.scope = 'row';
      tr.appendChild(func);
      tr.appendChild(el('td', 'num', '+' + formatDuration(step.relNs)));
      tr.appendChild(el('td', 'num muted', n === 0 ? '' : formatDuration(step.relNs - lane.steps[n - 1].relNs, true)));
      tr.appendChild(el('td', null, e.iface || (e.ifindex ? '#' + e.ifindex : '')));
      tr.appendChild(el('td', null, String(e.netns)));
      tr.appendChild(el('td', null, String(e.cpu)));
      tr.appendChild(el('td', 'num', String(e.len)));
      tr.appendChild(el('td', 'tuple', tupleText(e.tuple)));
      tr.appendChild(el('td', step.drop ? 'drop-text' : null, step.drop
        ? step.drop + (e.location ? ' in ' + e.location : '') : ''));
    });
    wrap.appendChild(table);
    section.appendChild(wrap);
    container.appendChild(section);
    for (const w of prepared.wires.filter(w => w.fromLane === i)) {
      container.appendChild(el('p', 'wire-step', 'Wire ' + prepared.lanes[w.fromLane].host + ' → '
        + prepared.lanes[w.toLane].host + ': ' + w.text + ', from the last hand-over to a device on '
        + prepared.lanes[w.fromLane].host + ' to the first sighting on ' + prepared.lanes[w.toLane].host + '.'));
    }
  });
}

function measuredText(lane) {
  if (lane.measuredClockUncertaintyNs === null || lane.measuredClockUncertaintyNs === undefined) {
    return '; never measured by the agent link';
  }
  if (lane.measuredClockOffsetNs === lane.clockOffsetNs && lane.measuredClockUncertaintyNs === lane.clockUncertaintyNs) {
    return ' (as measured by the agent link)';
  }
  return ' (measured ' + formatDuration(lane.measuredClockOffsetNs, true) + ' ± '
    + formatDuration(lane.measuredClockUncertaintyNs) + ', narrowed by the packet\'s order)';
}

function renderMatch(j) {
  const box = $('match');
  box.replaceChildren();
  const by = el('p');
  if (j.match.by.length) {
    by.append('Matched on ');
    j.match.by.forEach((key, i) => {
      if (i > 0) by.append(', ');
      by.appendChild(el('code', null, key));
    });
    by.append('.');
  } else {
    by.textContent = j.lanes.length > 1 ? 'The lanes are one host\'s sightings of the packet.'
      : 'Seen on one host only: no other host\'s sighting matched it.';
  }
  box.appendChild(by);
  if (j.match.notes.length) {
    const notes = el('ul', 'notes');
    for (const note of j.match.notes) notes.appendChild(el('li', null, note));
    box.appendChild(notes);
  }
  if (j.ambiguous || j.match.candidates.length) {
    box.appendChild(el('p', 'message warning', 'Ambiguous: some lane matched several packets on another host that '
      + 'cannot be told apart, so they were not joined. The candidates:'));
    const list = el('ul', 'candidates');
    for (const c of j.match.candidates) {
      const item = el('li');
      const link = el('a', null, 'journey ' + c.journey);
      link.href = journeyPage(c.journey);
      item.append(c.host + ' packet ' + c.packet + (c.generation ? '.' + c.generation : '') + ': ', link);
      list.appendChild(item);
    }
    box.appendChild(list);
  }
  if (!j.join.complete) {
    box.appendChild(el('p', 'message warning', 'The join covered ' + number(j.join.events) + ' of the session\'s '
      + number(j.join.sessionEvents) + ' events: the session is still running or events are still arriving, so '
      + 'this journey may still grow. Reload to see it again.'));
  }
}

/** The session's facts: its hosts (their colours in the session view's order) and whether it kept packet bytes. */
async function loadSession() {
  try {
    const session = await api(cfg.detail);
    for (const h of session.hosts) colours.of(h.host);
    const bytes = Number((session.options || {})['output-packet-bytes'] || 0);
    $('dl-pcapng').hidden = bytes <= 0;
    $('no-pcap').hidden = bytes > 0;
  } catch (e) {
    $('no-pcap').hidden = true; // the journey's own errors are reported by load()
  }
}

function render() {
  const prepared = prepare(journey);
  renderFacts(journey);
  renderOutcome(journey);
  renderSwimlanes($('swimlanes'), prepared.lanes, prepared.wires, prepared.totalNs);
  renderSteps(prepared);
  renderMatch(journey);
}

async function load() {
  const session = loadSession();
  try {
    journey = await api(cfg.api + '/journeys/' + encodeURIComponent(cfg.journey));
  } catch (e) {
    const p = el('p', 'message error', e.message + '. ');
    if (e instanceof ApiError && e.status === 404 && cfg.readOnly === 'true' && /share link/.test(e.message)) {
      p.append('Ask whoever sent the link for a new one.');
    } else if (e instanceof ApiError && e.status === 404) {
      p.append('It may belong to another session, or the session was deleted: ');
      const link = el('a', null, 'pick a journey from the list');
      link.href = $('back-to-list').href;
      p.appendChild(link);
    } else {
      p.append('Reload the page to try again.');
    }
    $('errors').replaceChildren(p);
    $('errors').hidden = false;
    $('state').textContent = 'not found';
    return;
  }
  await session;
  render();
}

/** A share link of the session that opens this journey (the link reads the whole session, read-only). */
async function share() {
  try {
    const link = await api('/api/sessions/' + cfg.session + '/share', { method: 'POST' });
    $('share-panel').hidden = false;
    $('share-url').value = link.url + '/journeys/' + encodeURIComponent(cfg.journey) + location.search;
    say($('share-status'), 'Anyone with this link can read this session\'s events and journeys (opening this one), '
      + 'without an account, until it is revoked in the session view.');
    $('share-url').select();
  } catch (e) {
    say($('errors'), e.message + '. Reload the page to try again.', 'error');
  }
}

async function copyShare() {
  try {
    await navigator.clipboard.writeText($('share-url').value);
  } catch (e) {
    $('share-url').select();
    document.execCommand('copy');
  }
  say($('share-status'), 'Link copied.');
}

function init() {
  $('tz').value = view.tz === 'utc' ? 'utc' : 'local';
  $('tz').addEventListener('change', () => {
    view = updateView({ tz: $('tz').value === 'utc' ? 'utc' : null }, { keys: KEYS });
    $('back-to-list').href = cfg.page + '/journeys' + query({ tz: view.tz });
    if (journey) render();
  });
  $('back-to-list').href = cfg.page + '/journeys' + query({ tz: view.tz });
  if ($('share')) {
    $('share').addEventListener('click', share);
    $('copy-share').addEventListener('click', copyShare);
  }
  load();
}

init();
