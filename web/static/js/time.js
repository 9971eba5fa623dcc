// Event times: the server sends RFC 3339 with nanoseconds ("2026-11-25T10:00:00.000000123Z"). They are shown
// in the viewer's time zone with its offset, or in UTC, and on demand relative to the session's start. Times are
// kept as {s, ns} (epoch seconds, nanoseconds) so that differences between probe points stay exact.

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** Parses an RFC 3339 time; null when absent or malformed. */
export function parseTime(text) {
  if (!text) return null;
  const m = ISO.exec(text);
  if (!m) return null;
  const ms = Date.parse(m[1] + m[3]);
  if (Number.isNaN(ms)) return null;
  return { s: Math.floor(ms / 1000), ns: Number((m[2] || '').padEnd(9, '0')) };
}

/** b - a in nanoseconds (exact below about 100 days). */
export function diffNs(a, b) {
  return (b.s - a.s) * 1e9 + (b.ns - a.ns);
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** "+01:00" for the viewer's zone at that moment, "Z" in UTC. */
function offset(date, utc) {
  if (utc) return 'Z';
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return sign + pad(Math.floor(abs / 60)) + ':' + pad(abs % 60);
}

/**
 * A time as the viewer asked for it: "2026-11-25 11:00:00.000000123 +01:00" (local), "… Z" (utc),
 * or "+1.234567890 s" relative to {@code start}. {@code digits} trims the fraction (9 = nanoseconds); {@code date}
 * and {@code zone} leave out the day and the offset (where a column header says them).
 */
export function formatTime(t, { utc = false, relativeTo = null, digits = 9, date = true, zone = true } = {}) {
  if (!t) return '';
  if (relativeTo) return formatDuration(diffNs(relativeTo, t), true);
  const d = new Date(t.s * 1000);
  const get = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const day = get[0] + '-' + pad(get[1]) + '-' + pad(get[2]);
  const clock = pad(get[3]) + ':' + pad(get[4]) + ':' + pad(get[5])
    + (digits > 0 ? '.' + pad(t.ns, 9).substring(0, digits) : '');
  return (date ? day + ' ' : '') + clock + (zone ? ' ' + offset(d, utc) : '');
}

/** A duration in nanoseconds for people: "830 ns", "12.4 µs", "3.21 ms", "1.234567 s"; signed on request. */
export function formatDuration(ns, signed = false) {
  const sign = ns < 0 ? '−' : signed ? '+' : '';
  const a = Math.abs(ns);
  let text;
  if (a < 1e3) text = a + ' ns';
  else if (a < 1e6) text = (a / 1e3).toFixed(a < 1e4 ? 2 : 1) + ' µs';
  else if (a < 1e9) text = (a / 1e6).toFixed(a < 1e7 ? 2 : 1) + ' ms';
  else text = (a / 1e9).toFixed(6) + ' s';
  return sign + text;
}

/** The value of an <input type="datetime-local"> (viewer's zone, or UTC) as RFC 3339, or null. */
export function inputToIso(value, utc) {
  if (!value) return null;
  const withSeconds = value.length === 16 ? value + ':00' : value;
  const d = new Date(utc ? withSeconds + 'Z' : withSeconds);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** RFC 3339 to an <input type="datetime-local"> value in the viewer's zone (or UTC). */
export function isoToInput(iso, utc) {
  const t = parseTime(iso);
  if (!t) return '';
  const d = new Date(t.s * 1000);
  const f = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  return f[0] + '-' + pad(f[1]) + '-' + pad(f[2]) + 'T' + pad(f[3]) + ':' + pad(f[4]) + ':' + pad(f[5]);
}

/** The viewer's offset now ("+01:00"), or "UTC". */
export function zoneOffset(utc) {
  return utc ? 'UTC' : offset(new Date(), false);
}

/** The viewer's zone for labels: "Europe/Berlin (+01:00)". */
export function zoneLabel(utc) {
  if (utc) return 'UTC';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  return zone + ' (' + offset(new Date(), false) + ')';
}
