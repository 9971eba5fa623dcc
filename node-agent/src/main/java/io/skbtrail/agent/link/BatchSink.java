package io.skbtrail.agent.link;

import io.skbtrail.agent.output.OutputSink;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The output of one session's trace loop: each contract v1 record line goes into the session's open batch,
 * which is sealed into the {@link Outbox} when it holds {@code maxRecords} records or its first record is
 * {@code maxAge} old. Sealing never waits for the network: the drain loop only appends and seals.
 *
 * <p>An event the outbox has no room for is dropped and counted at hop {@value #HOP}; the next batch
 * that gets room starts with a loss record for them, so the server learns of the loss once the link is
 * back. Used by the session's thread only (counters readable from any).
 */
final class BatchSink implements OutputSink, EncodedEventsSink {
    /** The hop where events are lost when the outbox is full. */
    static final String HOP = "agent_buffer";

    /** Every event line starts so: {@link EventJson} writes {@code type} first. */
    private static final String EVENT_PREFIX = "{\"type\":\"event\",";

    private final long session;
    private final Outbox outbox;
    private final int maxRecords;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final EventJson json = new EventJson();
    private final StringBuilder open = new StringBuilder(64 * 1024);
    private final StringBuilder line = new StringBuilder(256);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private int count;
    private long openedAt;
    private long lostUnreported;

    BatchSink(long session, Outbox outbox, int maxRecords, long maxAgeMillis, LongSupplier nanoClock) {
        this.session = session;
        this.outbox = outbox;
        this.maxRecords = maxRecords;
        this.maxAgeNanos = maxAgeMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    @Override
    public void write(CharSequence lines) {
        if (startsWith(lines, EVENT_PREFIX)) {
            if (!outbox.tryReserveEvent()) {
                lostUnreported++;
                lost.incrementAndGet();
                outbox.countLost(1);
                return;
            }
            reportLoss();
            append(lines);
            sent.incrementAndGet();
        } else {
            outbox.reserve(1);
            append(lines);
        }
        sealIfDue();
    }

    @Override
    public void writeEncodedEvents(byte[] lines, int events) {
        if (events < 1 || events > maxRecords) {
            throw new IllegalArgumentException(events + " events in one batch, the batch size is " + maxRecords);
        }
        if (count > 0) {
            seal(null);
        }
        if (!outbox.tryReserveEvents(events)) {
            lostUnreported += events;
            lost.addAndGet(events);
            outbox.countLost(events);
            return;
        }
        reportLoss();
        if (count > 0) {
            seal(null); // the loss record goes in a batch of its own, before these events
        }
        outbox.seal(session, null, lines, events);
        sent.addAndGet(events);
    }

    /** Seals the open batch if its first record is old enough (the trace loop flushes when the ring is idle). */
    @Override
    public void flush() {
        sealIfDue();
    }

    /** Nothing: {@link #finish} seals the last batch. */
    @Override
    public void close() {}

    /**
     * Ends the session's output: the loss not yet reported, the summary as the last record, and the last
     * batch sealed with {@code end}.
     *
     * @param summary null when there is none to give (tracing failed before it could be read)
     */
    void finish(String end, SummaryRecord summary) {
        reportLoss(); // seals first if the batch is full, so there is room for the summary
        if (summary != null) {
            outbox.reserve(1);
            line.setLength(0);
            open.append(json.appendTo(line, summary).append('\n'));
            count++;
        }
        seal(end);
    }

    /** Events put in batches. */
    long sent() {
        return sent.get();
    }

    /** Events lost at {@value #HOP}. */
    long lost() {
        return lost.get();
    }

    private void reportLoss() {
        if (lostUnreported == 0) {
            return;
        }
        outbox.reserve(1);
        line.setLength(0);
        append(json.appendTo(line, new LossRecord(Instant.now(), HOP, lostUnreported, lost.get())).append('\n'));
        lostUnreported = 0;
        sealIfDue();
    }

    private void append(CharSequence lines) {
        if (count == 0) {
            openedAt = nanoClock.getAsLong();
        }
        open.append(lines);
        count++;
    }

    private void sealIfDue() {
        if (count >= maxRecords || (count > 0 && nanoClock.getAsLong() - openedAt >= maxAgeNanos)) {
            seal(null);
        }
    }

    private void seal(String end) {
        outbox.seal(session, end, open, count);
        open.setLength(0);
        count = 0;
        if (open.capacity() > 4 << 20) {
            open.trimToSize(); // a burst's batch should not pin megabytes for the session's life
        }
    }

    private static boolean startsWith(CharSequence s, String prefix) {
        if (s.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
