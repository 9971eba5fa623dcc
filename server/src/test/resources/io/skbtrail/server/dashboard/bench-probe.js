// The dashboard benchmark's probe (DashboardBench), put into the session page before its own scripts run. It
// measures with one clock: an event's "time" is the synthetic agent's wall clock when it made the event (same
// machine), and "now" here is performance.timeOrigin + performance.now(), the same wall clock.
//
// - delivered: for every event the page added to its view, from the event's time to the first frame painted
//   after that (the page calls window.__skbtrailMeasure.shown(events) when it adds events: its only hook);
// - drawn: for every event whose row appeared in the event grid for the first time (a row put in, or a row
//   refilled with another event), from its event's time (read from the row's time cell: the page is opened with
//   tz=utc) to the first frame painted after that;
// - received: for the same events, from the event's time to the arrival of the WebSocket message that brought
//   it (agent, server, network: everything before the page), so delivered − received is the page's own part;
// - long tasks (PerformanceObserver 'longtask'), animation-frame intervals (requestAnimationFrame), and the
//   first row painted after navigation (performance.now() is then milliseconds since navigation start).
// "Painted" is when a task posted from the next requestAnimationFrame callback runs: after that frame's
// rendering.
(() => {
  const now = () => performance.timeOrigin + performance.now();
  let recording = false;
  let windowStart = 0;
  let delivered = [];
  let received = [];
  let lastMessageAt = 0;
  let drawn = [];
  let frames = [];
  let longTasks = [];
  let seenRows = new Set();
  let firstRowPainted = null;
  let scrolling = null;
  const allLongTasks = [];

  function afterPaint(callback) {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback();
      channel.port2.postMessage(0);
    });
  }

  /** "2026-05-08T03:01:02.123456789Z" → epoch milliseconds with the fraction. */
  function epochMs(text) {
    const dot = text.indexOf('.');
    if (dot < 0) return Date.parse(text);
    return Date.parse(text.substring(0, dot) + 'Z') + Number('0.' + text.substring(dot + 1, text.length - 1)) * 1000;
  }

  /** A grid row's time cell, "HH:MM:SS.ffffff" in UTC, on today's date (or yesterday's, just after midnight). */
  function rowEpochMs(text) {
    const today = new Date().toISOString().substring(0, 10);
    let t = epochMs(today + 'T' + text + 'Z');
    if (t > Date.now() + 3600_000) t -= 86400_000;
    return t;
  }

  let pendingDelivered = [];
  let pendingDrawn = [];
  let paintScheduled = false;

  function schedule() {
    if (paintScheduled) return;
    paintScheduled = true;
    afterPaint(() => {
      paintScheduled = false;
      const t = now();
      if (recording) {
        for (const e of pendingDelivered) delivered.push(t - e);
        for (const e of pendingDrawn) drawn.push(t - e);
      }
      pendingDelivered = [];
      pendingDrawn = [];
    });
  }

  // Notes when each message arrives on the page's WebSockets (this listener is added before the page's own).
  const PageWebSocket = window.WebSocket;
  window.WebSocket = class extends PageWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { lastMessageAt = now(); });
    }
  };

  window.__skbtrailMeasure = {
    shown(events) {
      if (!recording) return;
      for (const e of events) {
        if (!e.time) continue;
        const t = epochMs(e.time);
        pendingDelivered.push(t);
        received.push(lastMessageAt - t);
      }
      schedule();
    },
  };

  /** Rows that went into the grid or were refilled (the list reuses its row elements for other events). */
  function watchRows(body) {
    new MutationObserver(mutations => {
      const rows = new Set();
      for (const m of mutations) {
        if (m.type === 'childList' && m.target === body) {
          for (const node of m.addedNodes) {
            if (node instanceof HTMLElement && node.classList.contains('grid-row')) rows.add(node);
          }
        } else {
          const element = m.target instanceof HTMLElement ? m.target : m.target.parentElement;
          const row = element && element.closest('.grid-row');
          if (row && row.parentElement === body) rows.add(row);
        }
      }
      if (rows.size === 0) return;
      if (firstRowPainted === null) {
        firstRowPainted = -1;
        afterPaint(() => { firstRowPainted = performance.now(); });
      }
      if (!recording) return;
      let any = false;
      for (const row of rows) {
        const key = row.textContent;
        if (seenRows.has(key) || !row.firstElementChild) continue;
        seenRows.add(key);
        pendingDrawn.push(rowEpochMs(row.firstElementChild.textContent));
        any = true;
      }
      if (any) schedule();
    }).observe(body, { childList: true, subtree: true, characterData: true });
  }

  document.addEventListener('DOMContentLoaded', () => {
    const body = document.getElementById('event-rows');
    if (body) watchRows(body);
  });

  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      allLongTasks.push({ start: entry.startTime, duration: entry.duration });
      if (recording && entry.startTime >= windowStart) longTasks.push(entry.duration);
    }
  }).observe({ type: 'longtask', buffered: true });

  let lastFrame = null;
  function frame(t) {
    if (recording && lastFrame !== null) frames.push(t - lastFrame);
    lastFrame = t;
    if (scrolling) scrolling(t);
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);

  function stats(values) {
    if (values.length === 0) return { count: 0 };
    const sorted = Float64Array.from(values).sort();
    const at = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
  }

  window.__skbtrailBench = {
    /** Starts a measuring window (clears the last one's figures). */
    start() {
      delivered = [];
      received = [];
      drawn = [];
      frames = [];
      longTasks = [];
      seenRows = new Set();
      pendingDelivered = [];
      pendingDrawn = [];
      lastFrame = null;
      windowStart = performance.now();
      recording = true;
    },

    /**
     * Scrolls the event grid from a script, every animation frame: {@code pixels} per frame, up for
     * {@code sweep} frames, then down as long, and so on; null stops.
     */
    scroll(pixels, sweep) {
      if (!pixels) {
        scrolling = null;
        return;
      }
      const grid = document.getElementById('event-grid');
      let n = 0;
      scrolling = () => {
        const up = Math.floor(n / sweep) % 2 === 0;
        grid.scrollTop += up ? -pixels : pixels;
        n++;
      };
    },

    /** Ends the window and gives its figures. */
    stop() {
      recording = false;
      const minutes = (performance.now() - windowStart) / 60000;
      return {
        seconds: minutes * 60,
        delivered: stats(delivered),
        received: stats(received),
        drawn: stats(drawn),
        frames: stats(frames),
        framesOver50: frames.filter(f => f > 50).length,
        longTasks: longTasks.length,
        longTasksPerMinute: longTasks.length / minutes,
        longTaskMax: longTasks.length ? Math.max(...longTasks) : 0,
        longTasksOver200: longTasks.filter(d => d > 200).length,
        bufferInfo: (document.getElementById('buffer-info') || {}).textContent || '',
        heapMB: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null,
      };
    },

    /** Milliseconds from navigation start to the first event row painted; null before. */
    firstRowPainted() {
      return firstRowPainted !== null && firstRowPainted >= 0 ? firstRowPainted : null;
    },

    /** Long tasks since navigation: [{start, duration}]. */
    longTasksSinceNavigation() {
      return allLongTasks;
    },

    /** The browser's own timing of a request whose URL contains {@code part}: TTFB and total, ms. */
    resource(part) {
      const entry = performance.getEntriesByType('resource').filter(e => e.name.includes(part)).pop();
      return entry ? { ttfb: entry.responseStart - entry.requestStart, total: entry.responseEnd - entry.startTime,
        start: entry.startTime, end: entry.responseEnd } : null;
    },

    afterPaint() {
      return new Promise(resolve => afterPaint(resolve));
    },
  };
})();
