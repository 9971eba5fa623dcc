// The view lives in the URL, so any view can be bookmarked or shared: the session page's filters, time range,
// cursor, selected packet and time display are query parameters (see README, "The dashboard"); other pages pass
// their own parameter names.

/** The server-side event filters, named as the REST events query and the live subscription name them. */
export const FILTER_KEYS = ['host', 'func', 'dropReason', 'saddr', 'daddr', 'sport', 'dport', 'packet'];

/** Every parameter a session view understands. */
export const VIEW_KEYS = [...FILTER_KEYS, 'from', 'to', 'after', 'limit', 'pkt', 'tz', 'rel'];

/** The current view as a plain object of strings (absent keys left out); {@code keys}: the page's parameters. */
export function readView(keys = VIEW_KEYS) {
  const params = new URLSearchParams(location.search);
  const view = {};
  for (const key of keys) {
    const value = params.get(key);
    if (value !== null && value !== '') view[key] = value;
  }
  return view;
}

/** The filters of a view, for the events query and the live subscription. */
export function filtersOf(view) {
  const filter = {};
  for (const key of FILTER_KEYS) {
    if (view[key]) filter[key] = view[key];
  }
  return filter;
}

/** A query string ("?a=1&b=2", or "") from an object, skipping empty values. */
export function query(values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? '?' + text : '';
}

/**
 * Changes the view in the URL: {@code changes} maps keys to new values (null/'' removes). {@code push} adds a
 * history entry (paging, a new filter), otherwise the entry is replaced (selection, time display).
 */
export function updateView(changes, { push = false, keys = VIEW_KEYS } = {}) {
  const view = { ...readView(keys), ...changes };
  const url = location.pathname + query(Object.fromEntries(keys.map(k => [k, view[k]])));
  if (url !== location.pathname + location.search) {
    (push ? history.pushState : history.replaceState).call(history, null, '', url);
  }
  return readView(keys);
}
