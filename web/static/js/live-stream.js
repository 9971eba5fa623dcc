// The live stream of one session view: one raw WebSocket (see the live contract in README, "Live stream").
// The client subscribes with its filter and the last sequence number it has; the server sends batches of events
// with the sequence number of the last one and a cumulative count of events it could not deliver to this viewer.
// On a lost connection the client reconnects with backoff and resumes after the last sequence number it got.
// Events come in the compact form: what the event list shows and searches (a packet's path is read from the
// events API).

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;
/** Connection attempts that never opened before the view gives up on WebSockets (e.g. a proxy refuses them). */
const ATTEMPTS_BEFORE_UNAVAILABLE = 4;

export class LiveStream {
  /**
   * @param path the stream's path, e.g. /api/sessions/12/live
   * @param handlers {onHello, onEvents(events, seq), onMissed(frame), onStatus(frame), onEnd(frame), onError(frame),
   *                  onConnection(state, detail), onUnavailable()}
   */
  constructor(path, handlers) {
    this.url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path;
    this.handlers = handlers;
    this.filter = {};
    this.lastSeq = null;     // the last sequence number received: where a reconnect resumes
    this.dropped = 0;        // events the server could not deliver to this viewer, over every connection
    this.droppedHere = 0;    // the same, on the current connection (the server counts per connection)
    this.stream = null;      // the server run's id (from hello): a change means it restarted
    this.seqStream = null;   // the run lastSeq was numbered by, sent back when resuming
    this.ended = false;
    this.closed = false;
    this.everOpened = false;
    this.failures = 0;
    this.backoff = MIN_BACKOFF_MS;
  }

  start(filter) {
    this.filter = filter;
    this.connect();
  }

  /** A new filter: the server restarts delivery from now. */
  setFilter(filter) {
    this.filter = filter;
    this.lastSeq = null;
    this.send({ type: 'subscribe', after: null, compact: true, filter });
  }

  close() {
    this.closed = true;
    clearTimeout(this.retry);
    if (this.socket) this.socket.close(1000, 'view closed');
  }

  connect() {
    if (this.closed) return;
    this.handlers.onConnection?.('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.everOpened = true;
      this.failures = 0;
      this.backoff = MIN_BACKOFF_MS;
      this.droppedHere = 0;
      this.send({ type: 'subscribe', after: this.lastSeq, stream: this.lastSeq === null ? null : this.seqStream,
        compact: true, filter: this.filter });
      this.handlers.onConnection?.('connected');
    };
    socket.onmessage = message => this.receive(message.data);
    socket.onclose = close => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed || this.ended) {
        this.handlers.onConnection?.('closed');
        return;
      }
      if (close.code === 1008) {
        // refused for good (e.g. "share link revoked or expired"): retrying would not help
        this.closed = true;
        this.handlers.onConnection?.('refused', { code: close.code, reason: close.reason });
        return;
      }
      if (!opened) this.failures++;
      if (!opened && this.failures >= ATTEMPTS_BEFORE_UNAVAILABLE && !this.everOpened) {
        this.closed = true;
        this.handlers.onUnavailable?.();
        return;
      }
      const wait = this.backoff * (0.75 + Math.random() / 2);
      this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
      this.handlers.onConnection?.('reconnecting',
        { code: close.code, reason: close.reason, waitMs: wait, failures: this.failures });
      this.retry = setTimeout(() => this.connect(), wait);
    };
  }

  send(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
    }
  }

  /** Where this viewer is in the session: the seq to resume after, and the events it will never get. */
  position(frame) {
    if (typeof frame.dropped === 'number' && frame.dropped > this.droppedHere) {
      this.dropped += frame.dropped - this.droppedHere;
      this.droppedHere = frame.dropped;
    }
    if (typeof frame.seq === 'number' && (this.lastSeq === null || frame.seq > this.lastSeq)) {
      this.lastSeq = frame.seq;
      this.seqStream = this.stream;
    }
  }

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.stream = frame.stream;
        this.handlers.onHello?.(frame);
        break;
      case 'events':
        this.position(frame);
        this.handlers.onEvents?.(frame.events || [], this.lastSeq, this.dropped);
        break;
      case 'missed':
        this.handlers.onMissed?.(frame);
        break;
      case 'status':
        if (frame.subscribed) this.position(frame);
        this.handlers.onStatus?.(frame);
        break;
      case 'end':
        this.ended = true;
        this.handlers.onEnd?.(frame);
        break;
      case 'error':
        this.handlers.onError?.(frame);
        break;
      default:
        break;
    }
  }
}

/**
 * Where WebSockets cannot be had: the same handlers fed by polling the stored events every two seconds, from the
 * time the view opened. The stored API pages by time, so events at the last seen instant are told apart by
 * their identity (host, boot, skb, kernel time, probe point).
 */
export class PollingStream {
  constructor(eventsPath, handlers) {
    this.eventsPath = eventsPath;
    this.handlers = handlers;
    this.filter = {};
    this.dropped = 0;
    this.lastSeq = null;
    this.closed = false;
  }

  start(filter) {
    this.filter = filter;
    this.from = new Date().toISOString();
    this.seenAtFrom = new Set();
    this.handlers.onConnection?.('polling');
    this.poll();
  }

  setFilter(filter) {
    this.filter = filter;
    this.from = new Date().toISOString();
    this.seenAtFrom = new Set();
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
  }

  async poll() {
    if (this.closed) return;
    let full = false;
    try {
      const params = new URLSearchParams({ ...this.filter, from: this.from, limit: '1000' });
      const response = await fetch(this.eventsPath + '?' + params, { headers: { Accept: 'application/json' } });
      if (response.ok) {
        const page = await response.json();
        const fresh = [];
        for (const e of page.events) {
          const key = e.host + e.boot_id + e.skb + e.ktime_ns + e.func;
          if (e.time === this.from) {
            if (this.seenAtFrom.has(key)) continue;
          } else {
            this.from = e.time;
            this.seenAtFrom = new Set();
          }
          this.seenAtFrom.add(key);
          fresh.push(e);
        }
        full = page.next !== null;
        if (fresh.length) this.handlers.onEvents?.(fresh, null, 0);
      }
    } catch (e) {
      // the next poll tries again
    }
    this.timer = setTimeout(() => this.poll(), full ? 0 : 2000);
  }
}
