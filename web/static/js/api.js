// Calls to the REST API from the pages: JSON in and out, the CSRF token on every state-changing request,
// and errors as ApiError carrying the server's problem details (detail, and per-field errors).

export class ApiError extends Error {
  constructor(status, detail, errors = []) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.errors = errors; // [{field, message}]
  }

  /** The message for one field ("filter", "hosts", "options.filter-mark"…), or null. */
  fieldMessage(field) {
    const error = this.errors.find(e => e.field === field || e.field.startsWith(field + '['));
    return error ? error.message : null;
  }
}

function csrfToken() {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : null;
}

/** fetch() against the API; resolves to the parsed JSON (or null for an empty answer), rejects with ApiError. */
export async function api(url, { method = 'GET', body, signal } = {}) {
  const headers = { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  let response;
  try {
    response = await fetch(url, {
      method, headers, signal, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'the server cannot be reached (' + e.message + ')');
  }
  const text = await response.text();
  const json = text && (response.headers.get('Content-Type') || '').includes('json') ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = json && json.detail ? json.detail
      : response.status === 401 ? 'you are signed out: reload the page to sign in again'
      : response.status === 403 ? 'your role does not allow this'
      : 'HTTP ' + response.status;
    throw new ApiError(response.status, detail, (json && json.errors) || []);
  }
  return json;
}
