// How the journey pages write a journey's facts: its state, its hosts in order, its flow and its drop. Text only
// through textContent (host names and reasons come from agents).

import { el } from './dom.js';
import { tupleText } from './events.js';

/** What each state means, for a reader who has not read the README. */
export const STATE_HELP = {
  delivered: 'reached a socket or the kernel\'s own protocol handler',
  forwarded: 'its last host handed it to a device: it left the traced hosts',
  dropped: 'dropped with a reason, and no host saw it after',
  unknown: 'events lost, filtered out, or still in flight',
};

/** The state as a badge ("dropped"), with "ambiguous" beside it when the join could not tell packets apart. */
export function stateElement(j) {
  const span = el('span', 'journey-state');
  span.appendChild(el('span', 'badge state-' + j.state, j.state));
  if (j.ambiguous) {
    const flag = el('span', 'badge ambiguous', 'ambiguous');
    flag.title = 'some lane matched several packets on another host that cannot be told apart';
    span.append(' ', flag);
  }
  return span;
}

/** "h1 → h2 → h3", each host with its colour. */
export function hostsElement(hosts, colours) {
  const span = el('span', 'journey-hosts');
  hosts.forEach((host, i) => {
    if (i > 0) span.appendChild(el('span', 'arrow', ' → '));
    const swatch = el('span', 'swatch ' + colours.of(host));
    swatch.setAttribute('aria-hidden', 'true');
    const name = el('span', 'host-name');
    name.append(swatch, document.createTextNode(host));
    span.appendChild(name);
  });
  return span;
}

/** The flow as the first host saw it, and the VXLAN network for an overlay packet. */
export function flowText(j) {
  if (!j.flow) return '(no tuple)';
  return tupleText(j.flow) + (j.encap ? ' (inside VXLAN ' + j.encap.vni + ')' : '');
}

/** "NETFILTER_DROP on h3 in nf_hook_slow", or '' when it was not dropped. */
export function dropText(j) {
  if (!j.dropReason) return '';
  return j.dropReason + ' on ' + j.dropHost + (j.dropFunc ? ' in ' + j.dropFunc : '');
}
