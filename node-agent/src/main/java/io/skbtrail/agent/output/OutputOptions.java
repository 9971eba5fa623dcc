package io.skbtrail.agent.output;

import java.util.Objects;

/**
 * What the printers show, one component per {@code --output-*} / {@code --timestamp} flag.
 *
 * @param meta NETNS, MARK/x, IFACE, PROTO, MTU and LEN columns (default on)
 * @param tuple TUPLE column (default on)
 * @param tcpFlags TCP flags inside the tuple, {@code (tcp:SYN|ACK)}
 * @param stack kernel stack lines under each event
 * @param caller CALLER column
 * @param skbDump skb BTF dump under each event
 * @param json NDJSON (the event contract) instead of the table; the table-only options are then ignored
 * @param timestamp which time column the table shows
 * @param limitLines stop after this many events (0 = no limit)
 * @param packetBytes hex dump at most this many packet bytes under each event (0 = off)
 */
public record OutputOptions(
        boolean meta,
        boolean tuple,
        boolean tcpFlags,
        boolean stack,
        boolean caller,
        boolean skbDump,
        boolean json,
        Timestamp timestamp,
        long limitLines,
        int packetBytes) {

    /**
     * The table's time column. Unlike pwru, ABSOLUTE is the event's own time (not the print time) and
     * RELATIVE follows the packet id (skb addresses are reused after free).
     */
    public enum Timestamp {
        /** No time column. */
        NONE,
        /** TIMESTAMP column: {@code ktime_ns}, ns since boot (CLOCK_MONOTONIC). */
        CURRENT,
        /** TIMESTAMP column: ns since the previous event of the same packet id, 0 for its first event. */
        RELATIVE,
        /**
         * Leading TIME column: the event's own wall time in the local zone,
         * {@code 2006-01-02T15:04:05.000000000+01:00}.
         */
        ABSOLUTE
    }

    /** Rejects a null timestamp and negative limits. */
    public OutputOptions {
        Objects.requireNonNull(timestamp, "timestamp");
        if (limitLines < 0) {
            throw new IllegalArgumentException("limitLines must be >= 0: " + limitLines);
        }
        if (packetBytes < 0) {
            throw new IllegalArgumentException("packetBytes must be >= 0: " + packetBytes);
        }
    }

    /** pwru's defaults: meta and tuple on, everything else off, table output, no limit. */
    public static OutputOptions defaults() {
        return new OutputOptions(true, true, false, false, false, false, false, Timestamp.NONE, 0, 0);
    }

    public OutputOptions withMeta(boolean on) {
        return new OutputOptions(on, tuple, tcpFlags, stack, caller, skbDump, json, timestamp, limitLines, packetBytes);
    }

    public OutputOptions withTuple(boolean on) {
        return new OutputOptions(meta, on, tcpFlags, stack, caller, skbDump, json, timestamp, limitLines, packetBytes);
    }

    public OutputOptions withTcpFlags(boolean on) {
        return new OutputOptions(meta, tuple, on, stack, caller, skbDump, json, timestamp, limitLines, packetBytes);
    }

    public OutputOptions withStack(boolean on) {
        return new OutputOptions(meta, tuple, tcpFlags, on, caller, skbDump, json, timestamp, limitLines, packetBytes);
    }

    public OutputOptions withCaller(boolean on) {
        return new OutputOptions(meta, tuple, tcpFlags, stack, on, skbDump, json, timestamp, limitLines, packetBytes);
    }

    public OutputOptions withSkbDump(boolean on) {
        return new OutputOptions(meta, tuple, tcpFlags, stack, caller, on, json, timestamp, limitLines, packetBytes);
    }

    public OutputOptions withJson(boolean on) {
        return new OutputOptions(meta, tuple, tcpFlags, stack, caller, skbDump, on, timestamp, limitLines, packetBytes);
    }

    public OutputOptions withTimestamp(Timestamp value) {
        return new OutputOptions(meta, tuple, tcpFlags, stack, caller, skbDump, json, value, limitLines, packetBytes);
    }

    public OutputOptions withLimitLines(long value) {
        return new OutputOptions(meta, tuple, tcpFlags, stack, caller, skbDump, json, timestamp, value, packetBytes);
    }

    public OutputOptions withPacketBytes(int value) {
        return new OutputOptions(meta, tuple, tcpFlags, stack, caller, skbDump, json, timestamp, limitLines, value);
    }
}
