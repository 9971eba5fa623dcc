package io.skbtrail.server.live;

import io.skbtrail.server.events.EventCriteria;
import java.util.ArrayDeque;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's live stream. Frames leave through a queue of its own, sent one at a time without blocking
 * anyone: the container calls back when a frame is written, and the next one goes. What waits in the queue
 * is bounded ({@link LiveSettings#viewerQueueBytes()}): beyond it the dispatcher queues no more events for this
 * viewer, which falls behind in the session's buffer, and what the buffer drops before the viewer gets to it
 * is counted in {@link #dropped}. So a viewer that reads slowly (or not at all) costs neither ingest nor the
 * other viewers anything.
 */
final class Viewer {
    private static final Logger log = LoggerFactory.getLogger(Viewer.class);
    /** Control frames (status, end, errors) are queued even when events are not, up to this many times the bound. */
    private static final int CONTROL_SLACK = 4;

    final String id;
    final long session;
    /** The share link's token when the viewer came by one, else null. */
    final String shareToken;
    private final Session socket;
    private final long queueLimit;
    /** Called when the queue has emptied: the dispatcher may have more for this viewer. */
    private final Runnable drained;

    // Delivery state, guarded by the session's feed.
    EventCriteria filter;
    /** Sent events in the compact form ({@link CompactEvent}). */
    boolean compact;
    /** Every event with a seq up to this one has been sent to this viewer, filtered out, or counted as dropped. */
    long cursor;
    /**
     * While a viewer that subscribed "from now" has had nothing yet: the seq it started at. Events read from the
     * agents before it came but numbered after that are before its "now" (see SessionFeed#skip); else -1.
     */
    long fromNowAt = -1;
    long dropped;
    long lastFlushNanos;
    boolean endSent;

    // Outbound queue, guarded by this.
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private long queuedChars;
    private boolean sending;
    private boolean pumping;
    private boolean closeWhenFlushed;
    private boolean closed;

    Viewer(String id, long session, String shareToken, Session socket, long queueLimit, Runnable drained) {
        this.id = id;
        this.drained = drained;
        this.session = session;
        this.shareToken = shareToken;
        this.socket = socket;
        this.queueLimit = queueLimit;
    }

    /** Whether an events frame may be queued now. */
    synchronized boolean hasRoom() {
        return queuedChars < queueLimit;
    }

    /** Queues an events frame (the caller checked {@link #hasRoom()}). */
    void sendEvents(String frame) {
        enqueue(frame);
    }

    /**
     * Queues a control frame. A viewer so far behind that even these pile up (several times the bound) is
     * closed: it has not read anything for a long time.
     */
    void sendControl(String frame) {
        boolean overflow;
        synchronized (this) {
            overflow = queuedChars > CONTROL_SLACK * queueLimit;
        }
        if (overflow) {
            log.info("live viewer {} of session {}: nothing read for too long; closing", id, session);
            close(1008, "too slow: the stream's queue is full");
            return;
        }
        enqueue(frame);
    }

    /** Closes the stream once everything queued has been written (after {@code end}). */
    void closeWhenFlushed() {
        boolean now;
        synchronized (this) {
            closeWhenFlushed = true;
            now = !sending && queue.isEmpty();
        }
        if (now) {
            close(1000, "session ended");
        }
    }

    synchronized boolean isClosed() {
        return closed || !socket.isOpen();
    }

    void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queuedChars = 0;
        }
        try {
            socket.close(code, reason, Callback.NOOP);
        } catch (RuntimeException e) {
            log.debug("live viewer {}: close: {}", id, e.toString());
        }
    }

    private void enqueue(String frame) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(frame);
            queuedChars += frame.length();
        }
        pump();
    }

    /**
     * Sends queued frames one after the other. The container may call back at once, from inside
     * {@code sendText}: that callback only marks the frame done, and this loop goes on, so a long queue never
     * becomes a deep recursion.
     */
    private void pump() {
        while (true) {
            String next;
            boolean closeNow = false;
            synchronized (this) {
                if (pumping) {
                    return;
                }
                if (closed || sending || queue.isEmpty()) {
                    closeNow = !closed && !sending && queue.isEmpty() && closeWhenFlushed;
                    next = null;
                } else {
                    next = queue.poll();
                    sending = true;
                    pumping = true;
                }
            }
            if (next == null) {
                if (closeNow) {
                    close(1000, "session ended");
                }
                return;
            }
            String frame = next;
            try {
                socket.sendText(frame, Callback.from(() -> sent(frame), this::failed));
            } catch (RuntimeException e) {
                failed(e);
            }
            synchronized (this) {
                pumping = false;
            }
        }
    }

    private void sent(String frame) {
        boolean empty;
        synchronized (this) {
            sending = false;
            queuedChars -= frame.length();
            empty = queue.isEmpty();
        }
        pump();
        if (empty) {
            drained.run();
        }
    }

    private void failed(Throwable error) {
        synchronized (this) {
            sending = false;
            pumping = false;
        }
        log.debug("live viewer {}: send failed: {}", id, error.toString());
        close(1011, "send failed");
    }
}
