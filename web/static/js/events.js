// Events as the dashboard shows them: the bounded buffer a view keeps, host colours, the columns of the event
// grid, and search. Every host-provided string (host, process, interface, probe point, reason) goes into the
// page as text (textContent), never as markup.

import { parseTime, formatTime } from './time.js';

/** Distinct colours for hosts, in order of appearance in a view (CSS classes host-c0 … host-c7). */
export class HostColours {
  constructor() {
    this.byHost = new Map();
  }

  of(host) {
    if (!this.byHost.has(host)) this.byHost.set(host, this.byHost.size % 8);
    return 'host-c' + this.byHost.get(host);
  }
}

/** The moment of an event, parsed once. */
export function timeOf(e) {
  if (!e._t) e._t = parseTime(e.time);
  return e._t;
}

/** "10.0.0.1:4500 → 10.0.0.2:53 udp", IPv6 in brackets; '' without a tuple. */
export function tupleText(t) {
  if (!t) return '';
  const end = (addr, port) => (addr.includes(':') ? '[' + addr + ']' : addr) + (port ? ':' + port : '');
  return end(t.saddr, t.sport) + ' → ' + end(t.daddr, t.dport) + (t.proto ? ' ' + t.proto : '');
}

export function isDrop(e) {
  return !!e.drop_reason;
}

/**
 * The newest {@code capacity} events of a view. Older ones are let go in chunks (so that appending stays cheap)
 * and counted: the view says how many left the buffer.
 */
export class EventBuffer {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = [];
    this.evicted = 0;
  }

  clear() {
    this.items.length = 0;
    this.evicted = 0;
  }

  /** Appends; returns how many were removed from the front. */
  push(events) {
    for (const e of events) this.items.push(e);
    if (this.items.length <= this.capacity) return 0;
    const excess = this.items.length - this.capacity + Math.floor(this.capacity / 10);
    this.items.splice(0, excess);
    this.evicted += excess;
    return excess;
  }
}

/** Whether any text of the event contains the (lower-case) query. */
export function matches(e, q) {
  const fields = [e.host, e.process, e.func, e.drop_reason, e.iface, e.location, String(e.packet_id),
    e.tuple && tupleText(e.tuple), e.skb];
  return fields.some(f => f && String(f).toLowerCase().includes(q));
}

/** The grid's columns: a header label and how a cell shows an event. */
export const COLUMNS = [
  { name: 'Time', cell: (e, v) => formatTime(timeOf(e), { utc: v.utc, relativeTo: v.relativeTo, digits: 6, date: false, zone: false }) },
  { name: 'Host', cell: e => e.host, host: true },
  { name: 'CPU', cell: e => String(e.cpu) },
  { name: 'Process', cell: e => e.process ? e.process + (e.pid ? ':' + e.pid : '') : '' },
  { name: 'Netns', cell: e => String(e.netns) },
  { name: 'Interface', cell: e => e.iface || (e.ifindex ? '#' + e.ifindex : '') },
  { name: 'Len', cell: e => String(e.len) },
  { name: 'Packet', cell: e => tupleText(e.tuple) },
  { name: 'Probe point', cell: e => e.func },
  { name: 'Drop reason', cell: e => e.drop_reason ? e.drop_reason + (e.location ? ' @' + e.location : '') : '' },
];

/**
 * Fills one grid row for an event, or refills a row that showed another: its cells are made once and then only
 * their text changes. {@code view} = {utc, relativeTo, colours}: how times are shown and which colour each host
 * has.
 */
export function renderEventRow(row, e, view) {
  row.classList.toggle('drop', isDrop(e));
  if (row.childElementCount !== COLUMNS.length) {
    row.replaceChildren();
    for (const column of COLUMNS) {
      const cell = document.createElement('div');
      cell.setAttribute('role', 'gridcell');
      cell.className = 'cell';
      if (column.host) {
        const swatch = document.createElement('span');
        swatch.setAttribute('aria-hidden', 'true');
        cell.appendChild(swatch);
      }
      cell.appendChild(document.createTextNode(''));
      row.appendChild(cell);
    }
  }
  let cell = row.firstElementChild;
  for (const column of COLUMNS) {
    const text = column.cell(e, view);
    if (column.host) cell.firstChild.className = 'swatch ' + view.colours.of(e.host);
    const node = cell.lastChild;
    if (node.data !== text) {
      node.data = text;
      cell.title = text;
    }
    cell = cell.nextElementSibling;
  }
}
