package io.skbtrail.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * An event batch frame: one header line, then {@code count} contract v1 record lines (events, loss records,
 * and the summary as the session's last record), each ending in {@code \n}:
 *
 * <pre>
 * {"type":"events","seq":17,"session":4,"count":2,"end":null}
 * {"type":"event",…}
 * {"type":"loss",…}
 * </pre>
 *
 * <p>The frame is a WebSocket binary frame holding this text in UTF-8 (what agents send: far cheaper for
 * the server to decode than a text frame) or a text frame; servers accept both.
 *
 * <p>{@code seq} counts batches per agent incarnation from 1, across all sessions, without gaps; the server
 * stores a batch and its seq in one transaction and acknowledges cumulatively, so a batch resent after a
 * reconnect is recognised and dropped. {@code end} is set on a session's last batch: {@code stopped} (the
 * server asked), {@code limit} (maximum events reached), {@code deadline} (duration reached) or
 * {@code failed}.
 *
 * @param records the parsed records, in the agent's order
 */
public record EventBatch(long seq, long session, String end, List<WireRecord> records) {

    /** Cap on records in one batch. */
    public static final int MAX_RECORDS = 65_536;

    /** Ends a session may have. */
    public static final List<String> ENDS = List.of("stopped", "limit", "deadline", "failed");

    public EventBatch {
        records = List.copyOf(records);
    }

    /** Whether a text frame is an event batch (rather than a control frame). */
    public static boolean isBatch(CharSequence frame) {
        return frame.length() > 17 && frame.subSequence(0, 17).toString().equals("{\"type\":\"events\",");
    }

    private static final byte[] BATCH_PREFIX = "{\"type\":\"events\",".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Whether the frame {@code frame[from, to)}, as UTF-8 bytes, is an event batch (rather than a control frame). */
    public static boolean isBatch(byte[] frame, int from, int to) {
        return to - from > BATCH_PREFIX.length
                && java.util.Arrays.equals(frame, from, from + BATCH_PREFIX.length, BATCH_PREFIX, 0, BATCH_PREFIX.length);
    }

    /** Appends the header line of a batch of {@code count} records; the caller appends the record lines. */
    public static StringBuilder appendHeader(StringBuilder sb, long seq, long session, int count, String end) {
        sb.append("{\"type\":\"events\",\"seq\":").append(seq).append(",\"session\":").append(session)
                .append(",\"count\":").append(count).append(",\"end\":");
        JsonText.appendNullable(sb, end);
        return sb.append("}\n");
    }

    /**
     * Parses and validates a whole batch frame.
     *
     * @param maxLineLength cap on each record line
     * @throws IllegalArgumentException naming the line and field at fault
     */
    public static EventBatch parse(String frame, int maxLineLength) {
        int eol = frame.indexOf('\n');
        if (eol < 0) {
            throw new IllegalArgumentException("batch: no header line");
        }
        Header header = parseHeader(frame.substring(0, eol));
        int count = header.count();
        List<WireRecord> records = new ArrayList<>(count);
        int start = eol + 1;
        while (start < frame.length()) {
            int next = frame.indexOf('\n', start);
            if (next < 0) {
                throw new IllegalArgumentException("batch: record " + (records.size() + 1) + " has no line end");
            }
            if (records.size() == count) {
                throw new IllegalArgumentException("batch: more records than count " + count);
            }
            try {
                records.add(EventJsonParser.parse(frame, start, next, maxLineLength));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("batch record " + (records.size() + 1) + ": " + e.getMessage());
            }
            start = next + 1;
        }
        if (records.size() != count) {
            throw new IllegalArgumentException("batch: count says " + count + " records, frame has " + records.size());
        }
        return new EventBatch(header.seq(), header.session(), header.end(), records);
    }

    /** A batch's header line: what it holds and where it belongs. */
    public record Header(long seq, long session, int count, String end) {}

    /**
     * Parses and validates a batch's header line (without its {@code \n}); for readers that take the record
     * lines themselves.
     *
     * @throws IllegalArgumentException naming the field at fault
     */
    public static Header parseHeader(String line) {
        JsonFields h = new JsonFields("batch", JsonTree.parse(line, 256));
        if (!h.string("type").equals("events")) {
            throw new IllegalArgumentException("batch.type: expected \"events\"");
        }
        long seq = h.integer("seq", 1, Long.MAX_VALUE);
        long session = h.integer("session", 1, Long.MAX_VALUE);
        int count = h.intValue("count", 0, MAX_RECORDS);
        String end = h.nullableString("end");
        if (end != null && !ENDS.contains(end)) {
            throw new IllegalArgumentException("batch.end: expected one of " + ENDS + " or null, got " + JsonTree.quote(end));
        }
        h.requireNoOtherFields();
        return new Header(seq, session, count, end);
    }
}
