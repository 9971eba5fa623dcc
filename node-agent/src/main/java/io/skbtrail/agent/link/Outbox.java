package io.skbtrail.agent.link;

import io.skbtrail.protocol.EventBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Sealed event batches of every session, kept until the server acknowledges them.
 *
 * <p>Batches are numbered 1, 2, 3… in the order they are sealed, across sessions, for the life of this
 * agent incarnation: the server stores a batch and its seq together and acknowledges cumulatively
 * ({@code ack N}: every batch up to N is stored), so after a reconnect the agent resends what follows the
 * welcome's {@code acked_seq} and the server recognises a batch it already has.
 *
 * <p>Memory is bounded in records (events, loss records, summaries), counted from the moment a record is
 * put in a session's open batch until its batch is acknowledged. When the bound is reached, new events
 * are refused ({@link #tryReserveEvent()}) and counted as lost at hop {@code agent_buffer} by the
 * session; loss records and summaries are always taken, so the accounting reaches the server. Thread-safe.
 */
public final class Outbox {
    private final long capacity;
    private final TreeMap<Long, SealedBatch> unacked = new TreeMap<>();
    private long nextSeq = 1;
    private long acked;
    private long reserved;
    private long lost;
    private volatile Runnable onSealed = () -> { };

    /** @param capacity records held at most (the {@code --buffer-events} bound) */
    public Outbox(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Runs after each sealed batch (wakes the sender). */
    public void onSealed(Runnable action) {
        onSealed = action;
    }

    /** Takes room for one event record; false when full (the event is then lost at {@code agent_buffer}). */
    public synchronized boolean tryReserveEvent() {
        return tryReserveEvents(1);
    }

    /** Takes room for {@code events} event records at once, or for none (then they are all lost). */
    public synchronized boolean tryReserveEvents(int events) {
        if (reserved + events > capacity) {
            return false;
        }
        reserved += events;
        return true;
    }

    /** Takes room for records that are never refused (loss records, summaries), over the bound if need be. */
    public synchronized void reserve(int records) {
        reserved += records;
    }

    /** Counts events a session could not buffer (for the heartbeat's {@code buffer_lost}). */
    public synchronized void countLost(long events) {
        lost += events;
    }

    /**
     * Numbers a batch and keeps it until acknowledged.
     *
     * @param records {@code count} record lines, each ending in {@code \n}, whose room was reserved
     */
    public SealedBatch seal(long session, String end, CharSequence records, int count) {
        byte[] lines = records.toString().getBytes(StandardCharsets.UTF_8);
        return seal(session, end, lines, count);
    }

    /**
     * Numbers a batch whose record lines are already UTF-8 ({@code count} lines, each ending in
     * {@code \n}, whose room was reserved) and keeps it until acknowledged.
     */
    public SealedBatch seal(long session, String end, byte[] records, int count) {
        SealedBatch batch;
        synchronized (this) {
            long seq = nextSeq++;
            byte[] header = EventBatch.appendHeader(new StringBuilder(96), seq, session, count, end).toString()
                    .getBytes(StandardCharsets.UTF_8);
            byte[] frame = Arrays.copyOf(header, header.length + records.length);
            System.arraycopy(records, 0, frame, header.length, records.length);
            batch = new SealedBatch(seq, session, end, count, frame);
            unacked.put(seq, batch);
        }
        onSealed.run();
        return batch;
    }

    /**
     * Forgets every batch up to and including {@code seq} (a cumulative acknowledgement).
     *
     * @return how many batches were forgotten
     */
    public synchronized int ack(long seq) {
        int forgotten = 0;
        while (!unacked.isEmpty() && unacked.firstKey() <= seq) {
            reserved -= unacked.pollFirstEntry().getValue().count();
            forgotten++;
        }
        acked = Math.max(acked, Math.min(seq, nextSeq - 1));
        return forgotten;
    }

    /** The first unacknowledged batch after {@code seq}, or null: what to send next. */
    public synchronized SealedBatch nextAfter(long seq) {
        Map.Entry<Long, SealedBatch> next = unacked.higherEntry(seq);
        return next == null ? null : next.getValue();
    }

    /** Every unacknowledged batch, in seq order. */
    public synchronized List<SealedBatch> unacked() {
        return new ArrayList<>(unacked.values());
    }

    /** Sessions with unacknowledged batches. */
    public synchronized Set<Long> sessionsWithUnacked() {
        Set<Long> sessions = new TreeSet<>();
        unacked.values().forEach(b -> sessions.add(b.session()));
        return sessions;
    }

    /** The seq of the last sealed batch (0 before the first). */
    public synchronized long highestSeq() {
        return nextSeq - 1;
    }

    /** The highest acknowledged seq. */
    public synchronized long acked() {
        return acked;
    }

    public synchronized boolean isEmpty() {
        return unacked.isEmpty();
    }

    /** Records held now: in open batches and in unacknowledged ones. */
    public synchronized long buffered() {
        return reserved;
    }

    /** Events refused so far because the outbox was full. */
    public synchronized long lost() {
        return lost;
    }

    public long capacity() {
        return capacity;
    }
}
