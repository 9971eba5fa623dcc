package io.skbtrail.server.live;

import io.skbtrail.protocol.EventJson;
import io.skbtrail.server.events.EventCriteria;
import io.skbtrail.server.events.StoredEvents;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;

/**
 * One session's live side: batches committed and not yet numbered ({@link #inbox}), the buffer of the last
 * stored events with their seqs, and the viewers. Everything but the inbox and the viewer list is guarded by
 * this object's lock; batches are numbered and delivered by the dispatcher's one thread.
 */
final class SessionFeed {
    /** A committed batch waiting to be numbered. */
    record Arrival(long hostId, StoredEvents events) {}

    final long session;
    final Queue<Arrival> inbox = new ConcurrentLinkedQueue<>();
    final List<Viewer> viewers = new CopyOnWriteArrayList<>();
    private final int capacity;
    private final long holdUnwatchedNanos;
    /** When the last viewer left (nanoTime); none has ever come while it is {@code null}. */
    private volatile Long lastViewerLeft;
    /** The last seq numbered while nobody watched, so not kept; 0 if none. */
    private long unkeptUpTo;

    // The buffer: seqs firstSeq..lastSeq at slots[(start + seq - firstSeq) % slots.length].
    private LiveEntry[] slots = new LiveEntry[0];
    private int start;
    private long firstSeq = 1;
    private long lastSeq;

    /** Set once the session is no longer live (its state), by the status thread. */
    volatile String endedState;
    /** The last status before {@code end}, sent with it. */
    volatile String finalStatus;
    /** Buffer released after the end went out to every viewer. */
    private boolean released;

    SessionFeed(long session, int capacity, long holdUnwatchedNanos) {
        this.session = session;
        this.capacity = capacity;
        this.holdUnwatchedNanos = holdUnwatchedNanos;
    }

    /** A viewer went away: if it was the last, the buffer is kept {@code holdUnwatchedNanos} longer for its return. */
    void viewerLeft(Viewer v) {
        viewers.remove(v);
        if (viewers.isEmpty()) {
            lastViewerLeft = System.nanoTime();
        }
    }

    /**
     * Whether stored events are kept for viewers: while one is connected, and for a while after the last left
     * (so a reconnect resumes where it was). Nobody else reads the buffer, and at ingest rates it is ~100 MB of
     * short-lived heap per session that the collector would otherwise copy and promote for no one.
     */
    boolean watched(long now) {
        Long left = lastViewerLeft;
        return !viewers.isEmpty() || (left != null && now - left < holdUnwatchedNanos);
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    /** The oldest seq still held (lastSeq + 1 when nothing is). */
    synchronized long firstHeld() {
        return firstSeq;
    }

    /** Whether the viewer has been given (or passed over) every event numbered so far. */
    synchronized boolean caughtUp(Viewer v) {
        return v.cursor >= lastSeq;
    }

    synchronized int held() {
        return (int) (lastSeq - firstSeq + 1);
    }

    /** Numbers the waiting batches' events in arrival order and puts them in the buffer. */
    synchronized void drain(LongFunction<String> hostName) {
        Arrival a;
        boolean keep = watched(System.nanoTime());
        while ((a = inbox.poll()) != null) {
            // A batch that was only counted (nobody watched when it was read) leaves a gap like an unwatched spell.
            if (!keep || !a.events().kept()) {
                skip(a.events().count());
                continue;
            }
            String host = hostName.apply(a.hostId());
            StoredEvents events = a.events();
            for (int i = 0; i < events.count(); i++) {
                add(new LiveEntry(lastSeq + 1, a.hostId(), host, events, i));
            }
        }
    }

    /** Numbers {@code count} events without keeping them; the buffer empties, as nothing older may stay. */
    private void skip(int count) {
        long from = lastSeq + 1;
        lastSeq += count;
        unkeptUpTo = lastSeq;
        if (slots.length > 0) {
            slots = new LiveEntry[0];
            start = 0;
        }
        firstSeq = lastSeq + 1;
        // A viewer that arrived while the batch was on its way (read before anyone watched, stored after it
        // subscribed): if it asked for events from now and has had none yet, these are from before its now;
        // else it is told of the gap, not counted as having been too slow for them.
        for (Viewer v : viewers) {
            if (v.filter != null && v.fromNowAt == v.cursor) {
                v.cursor = lastSeq;
                v.fromNowAt = lastSeq;
            } else if (v.filter != null && v.cursor < lastSeq) {
                v.sendControl(LiveFrames.missed(Math.max(from, v.cursor + 1), lastSeq, "unwatched",
                        unwatchedMessage(Math.max(from, v.cursor + 1), lastSeq)));
                v.cursor = lastSeq;
            }
        }
    }

    private String unwatchedMessage(long from, long to) {
        return "events " + from + ".." + to + " were stored while nobody watched this session's live stream (the server"
                + " keeps them for viewers only while one is connected, and " + holdUnwatchedNanos / 1_000_000_000L
                + " s after the last one left); page them from the events API";
    }

    private void add(LiveEntry entry) {
        lastSeq = entry.seq;
        if (released) {
            firstSeq = lastSeq + 1; // a late batch after the end: numbered, not kept
            return;
        }
        int size = (int) (entry.seq - firstSeq);
        if (size == slots.length && size < capacity) {
            grow();
        }
        if (size == capacity) {
            evicted(slots[start]);
            slots[start] = entry; // overwrite the oldest
            start = (start + 1) % slots.length;
            firstSeq++;
        } else {
            slots[(start + size) % slots.length] = entry;
        }
    }

    /**
     * The oldest entry leaves the buffer: a viewer that has not got to it yet (it reads too slowly) never will,
     * and if its filter selects it, it is counted in that viewer's {@code dropped}.
     */
    private void evicted(LiveEntry oldest) {
        for (Viewer v : viewers) {
            if (v.cursor < oldest.seq) {
                if (v.filter != null && v.filter.matches(oldest.hostId, oldest.event())) {
                    v.dropped++;
                }
                v.cursor = oldest.seq;
            }
        }
    }

    private void grow() {
        int n = (int) Math.min(capacity, Math.max(1024, (long) slots.length * 2));
        LiveEntry[] bigger = new LiveEntry[n];
        int size = (int) (lastSeq - 1 - firstSeq + 1);
        for (int i = 0; i < size; i++) {
            bigger[i] = slots[(start + i) % slots.length];
        }
        slots = bigger;
        start = 0;
    }

    private LiveEntry get(long seq) {
        return slots[(int) ((start + (seq - firstSeq)) % slots.length)];
    }

    /** Frees the buffer after the session ended; seqs keep counting. */
    synchronized void release() {
        released = true;
        slots = new LiveEntry[0];
        start = 0;
        firstSeq = lastSeq + 1;
    }

    /**
     * A viewer's new filter (and form of events) and where its delivery starts: from now ({@code after} null),
     * or after the given seq. Sends {@code missed} first when that seq is no longer held (or is from another run).
     *
     * @param otherRun the viewer's position is from an earlier run of the server (its stream differs)
     */
    synchronized void subscribe(Viewer v, EventCriteria filter, boolean compact, Long after, boolean otherRun) {
        v.filter = filter;
        v.compact = compact;
        v.fromNowAt = -1;
        if (after == null) {
            v.cursor = lastSeq;
            v.fromNowAt = lastSeq;
            return;
        }
        if (otherRun || after > lastSeq) {
            v.cursor = firstSeq - 1;
            v.sendControl(LiveFrames.missed(1, firstSeq - 1, "restarted",
                    "the server restarted since your last event (its stream changed): events stored before the restart"
                            + " are not in the live stream, page them from the events API; seqs 1.." + (firstSeq - 1)
                            + " of this run are no longer held either"));
            return;
        }
        if (after + 1 < firstSeq) {
            v.cursor = firstSeq - 1;
            if (after < unkeptUpTo) {
                v.sendControl(LiveFrames.missed(after + 1, firstSeq - 1, "unwatched",
                        unwatchedMessage(after + 1, firstSeq - 1)));
                return;
            }
            v.sendControl(LiveFrames.missed(after + 1, firstSeq - 1, "evicted",
                    "events " + (after + 1) + ".." + (firstSeq - 1) + " are no longer in the live buffer (it keeps the last "
                            + capacity + " events of a session); page them from the events API"));
            return;
        }
        v.cursor = after;
    }

    /**
     * Sends each viewer what matched its filter since its cursor: full frames at once, the rest once its
     * last frame is {@link LiveSettings#FLUSH_NANOS} old (or at once when {@code flush}). A viewer whose queue
     * is full gets nothing more this round and its cursor waits; what the buffer drops before the viewer gets
     * to it is counted in its {@code dropped} ({@link #evicted}). So a viewer that reads slowly falls behind
     * (up to the buffer) and loses only what it could not take, and costs no one else anything.
     *
     * @return when (nanoTime) a viewer that has events waiting becomes due; {@code Long.MAX_VALUE} if none
     */
    synchronized long deliver(EventJson encoder, long now, boolean flush) {
        long next = Long.MAX_VALUE;
        for (Viewer v : viewers) {
            if (v.filter != null && !v.endSent && !v.isClosed()) {
                boolean due = flush || now - v.lastFlushNanos >= LiveSettings.FLUSH_NANOS;
                // Not due and not a full frame's worth even if every event matched: nothing to send yet, and
                // nothing to look at (the events are filtered and encoded once, when they go).
                if (due || lastSeq - v.cursor >= LiveSettings.FRAME_EVENTS) {
                    deliver(v, encoder, now, due);
                }
                if (v.cursor < lastSeq && v.hasRoom()) { // (a full queue wakes the dispatcher when it drains)
                    next = Math.min(next, v.lastFlushNanos + LiveSettings.FLUSH_NANOS);
                }
            }
        }
        return next;
    }

    private void deliver(Viewer v, EventJson encoder, long now, boolean due) {
        if (v.cursor < firstSeq - 1) {
            v.dropped += firstSeq - 1 - v.cursor;
            v.cursor = firstSeq - 1;
        }
        long handled = v.cursor;
        long frameStart = handled;
        long lastInFrame = 0;
        StringBuilder frame = null;
        int inFrame = 0;
        for (long seq = v.cursor + 1; seq <= lastSeq; seq++) {
            LiveEntry e = get(seq);
            if (!v.filter.matches(e.hostId, e.event())) {
                if (inFrame == 0) {
                    handled = seq;
                }
                continue;
            }
            if (inFrame == 0) {
                if (!v.hasRoom()) {
                    v.cursor = handled; // it waits here; the buffer counts what it loses
                    return;
                }
                frameStart = handled;
                frame = LiveFrames.eventsOpen();
            } else {
                frame.append(',');
            }
            frame.append(v.compact ? e.compactJson(encoder) : e.json(encoder, session));
            inFrame++;
            lastInFrame = seq;
            if (inFrame == LiveSettings.FRAME_EVENTS) {
                v.sendEvents(LiveFrames.eventsClose(frame, seq, v.dropped));
                v.lastFlushNanos = now;
                handled = seq;
                inFrame = 0;
                frame = null;
            }
        }
        if (inFrame > 0 && !due) {
            handled = frameStart; // goes with the next flush; these entries are looked at again then
        } else {
            if (inFrame > 0) {
                v.sendEvents(LiveFrames.eventsClose(frame, lastInFrame, v.dropped));
                v.lastFlushNanos = now;
            }
            handled = lastSeq;
        }
        v.cursor = handled;
    }
}
