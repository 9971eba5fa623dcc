package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventBatch;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import io.skbtrail.protocol.WireRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * A batch checked and turned into COPY rows, with the counters it adds, before any database work.
 *
 * <p>Agents' frames are read by {@link #of(byte[], int, int, long, int)}: event lines in the encoder's form
 * go straight from the frame's bytes into rows ({@link EventLineRow}); every other line (loss records, the
 * summary, events the fast path leaves) is decoded, parsed by the strict parser and encoded by
 * {@link EventRows}. Either way a batch is refused whole, with the messages {@link EventBatch#parse} and
 * {@link EventRows} give: a line that is no valid record first, then a value PostgreSQL would refuse.
 */
final class BatchRows {
    final long seq;
    final long session;
    final String end;
    final RowBuffer copy;
    /** The batch's events for the live stream (the fast path's as their lines, parsed only if asked for). */
    final StoredEvents stored;
    final Map<String, Long> dropsByReason = new TreeMap<>();
    final Map<String, Long> lost = new TreeMap<>();
    int events;
    long drops;
    long firstNs = Long.MAX_VALUE;
    long lastNs = Long.MIN_VALUE;
    /** Each event's time, for the latency figures. */
    long[] timesNs = new long[16];
    String summary;
    Long matched;

    private BatchRows(long seq, long session, String end, int bytes, StoredEvents stored) {
        this.seq = seq;
        this.session = session;
        this.end = end;
        this.copy = new RowBuffer(bytes);
        this.stored = stored;
    }

    /** Nothing to write but the batch's number: what a batch the database refused leaves. */
    static BatchRows rejected(BatchRows refused) {
        BatchRows rows = new BatchRows(refused.seq, refused.session, refused.end, 0, StoredEvents.countOnly());
        rows.lost.put("server_rejected", (long) refused.events);
        return rows;
    }

    /** A batch already parsed into records (text frames, tests). */
    static BatchRows of(EventBatch batch, long hostId) {
        BatchRows rows = new BatchRows(batch.seq(), batch.session(), batch.end(), 1024, new StoredEvents(null));
        for (WireRecord record : batch.records()) {
            rows.add(record, hostId);
        }
        return rows;
    }

    /**
     * A batch frame as an agent sends it: header line, then record lines.
     *
     * @param frame valid UTF-8 (the link checks it)
     * @param maxLineLength cap on each record line, in characters
     * @param keepEvents whether the batch's events are kept for the live stream (by session), or only counted
     * @throws IllegalArgumentException naming the record and field at fault, or the value the database
     *     would refuse; nothing of the batch is kept
     */
    static BatchRows of(byte[] frame, int from, int to, long hostId, int maxLineLength, LongPredicate keepEvents) {
        int eol = indexOf(frame, from, to, (byte) '\n');
        if (eol < 0) {
            throw new IllegalArgumentException("batch: no header line");
        }
        EventBatch.Header header = EventBatch.parseHeader(new String(frame, from, eol - from, StandardCharsets.UTF_8));
        // The records' bytes are copied once for the live stream (the frame's buffer is the WebSocket's), if
        // anyone watches the session.
        int base = eol + 1;
        StoredEvents stored = keepEvents.test(header.session()) ? new StoredEvents(Arrays.copyOfRange(frame, base, to))
                : StoredEvents.countOnly();
        BatchRows rows = new BatchRows(header.seq(), header.session(), header.end(), to - eol + (to - eol) / 4, stored);
        byte[] rowStart = (header.session() + "\t" + hostId).getBytes(StandardCharsets.US_ASCII);
        EventLineRow fast = new EventLineRow(rows.copy);
        IllegalArgumentException refusedValue = null;
        int count = 0;
        int start = eol + 1;
        while (start < to) {
            // The fast path finds the line's end itself; a line over the cap has none within its reach.
            int lineEnd = count < header.count()
                    ? fast.transcode(frame, start, (int) Math.min(to, (long) start + maxLineLength + 1), rowStart)
                    : -1;
            if (lineEnd >= 0) {
                count++;
                rows.counted(fast.timeNs, fast.dropReasonFrom < 0 ? null : fast.dropReason());
                rows.stored.addLine(start - base, lineEnd - base);
                start = lineEnd + 1;
                continue;
            }
            int next = indexOf(frame, start, to, (byte) '\n');
            if (next < 0) {
                throw new IllegalArgumentException("batch: record " + (count + 1) + " has no line end");
            }
            if (count == header.count()) {
                throw new IllegalArgumentException("batch: more records than count " + header.count());
            }
            count++;
            WireRecord record;
            try {
                record = EventJsonParser.parse(new String(frame, start, next - start, StandardCharsets.UTF_8),
                        maxLineLength);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("batch record " + count + ": " + e.getMessage());
            }
            // A value the database would refuse is reported once every line is known to be a record,
            // as when a batch is parsed first and encoded after.
            try {
                if (refusedValue == null) {
                    rows.add(record, hostId);
                }
            } catch (IllegalArgumentException e) {
                refusedValue = e;
            }
            start = next + 1;
        }
        if (count != header.count()) {
            throw new IllegalArgumentException("batch: count says " + header.count() + " records, frame has " + count);
        }
        if (refusedValue != null) {
            throw refusedValue;
        }
        return rows;
    }

    private void add(WireRecord record, long hostId) {
        if (record instanceof Event e) {
            StringBuilder row = new StringBuilder(1024);
            EventRows.append(row, session, hostId, e);
            copy.put(row.toString());
            stored.addEvent(e);
            counted(EventRows.timeNs(e), e.dropReason());
        } else if (record instanceof LossRecord loss) {
            lost.merge(loss.hop(), loss.count(), Long::sum);
        } else {
            SummaryRecord s = (SummaryRecord) record;
            summary = new EventJson().toJson(s);
            matched = s.matched();
        }
    }

    private void counted(long timeNs, String dropReason) {
        if (events == timesNs.length) {
            timesNs = Arrays.copyOf(timesNs, events * 2);
        }
        timesNs[events++] = timeNs;
        firstNs = Math.min(firstNs, timeNs);
        lastNs = Math.max(lastNs, timeNs);
        if (dropReason != null) {
            drops++;
            dropsByReason.merge(dropReason, 1L, Long::sum);
        }
    }

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
