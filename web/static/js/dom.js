// Small helpers for building the pages' DOM. Text always goes in as text: host-provided strings are never parsed
// as markup.

/** An element with a class and text content. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A table cell with text. */
export function td(text, className) {
  return el('td', className, text);
}

/** Shows a message in a live region (role="status" or role="alert" elements already in the page). */
export function say(region, text, kind = 'info') {
  region.replaceChildren();
  if (!text) {
    region.hidden = true;
    return;
  }
  region.hidden = false;
  region.appendChild(el('p', 'message ' + kind, text));
}

/** "kernel_ringbuf 3 · rate_limit 0" with the nonzero hops marked; "none" when nothing was lost. */
export function lossElement(lost) {
  const span = el('span', 'loss-list');
  const entries = Object.entries(lost || {});
  if (entries.length === 0 || entries.every(([, n]) => !n)) {
    span.textContent = 'none';
    span.classList.add('muted');
    return span;
  }
  entries.forEach(([hop, n], i) => {
    if (i > 0) span.append(' · ');
    span.appendChild(el('span', n ? 'lost' : 'muted', hop + ' ' + Number(n).toLocaleString()));
  });
  return span;
}

export function number(n) {
  return n === null || n === undefined ? '' : Number(n).toLocaleString();
}

/**
 * Re-renders {@code container} with {@code render()} and gives the focus back to the control that had it (matched
 * by its data-key), so a table that refreshes itself every few seconds does not lose a keyboard user's place.
 */
export function keepingFocus(container, render) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : null;
  render();
  if (key) {
    const again = [...container.querySelectorAll('[data-key]')].find(e => e.dataset.key === key);
    if (again) again.focus();
  }
}
