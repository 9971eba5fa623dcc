package io.skbtrail.server.journeys;

import java.util.Arrays;

/**
 * One skb's life on one host ({@code host, packet_id}) summed up for the join: when it was seen, the keys
 * and fingerprint it carried, what its probe points say (arrived, left, reached a socket, dropped), and its path
 * as probe point tokens in time order. Times are the host's own clock.
 */
final class Segment {
    private static final long[] NO_KEYS = new long[0];

    final int host;          // index into the join's hosts
    final long packetId;
    /**
     * 0, or the n-th packet seen under this packet id: the agent keeps a packet id while the skb's address lives,
     * and some frees have no tracepoint, so a reused skb can carry the next packet under the same id. A new
     * fingerprint (IPv4 ID, TCP sequence and acknowledgement numbers, payload length) under one id starts one.
     */
    final int generation;
    /** The next packet under the same packet id, or null. */
    Segment next;
    int index;               // position in the join's segment list
    /** A hash of the fingerprint the generation is recognised by. */
    long signature;
    boolean signed;

    long firstNs = Long.MAX_VALUE;
    long lastNs = Long.MIN_VALUE;
    int events;
    int roles;

    long[] joinKeys = NO_KEYS;
    long[] altKeys = NO_KEYS;
    long[] flowKeys = NO_KEYS;

    /** The fingerprint of the earliest event that had one. */
    long fpNs = Long.MAX_VALUE;
    /** IPv4 identification, -1 when the packet has none (IPv6). */
    int ipId = -1;
    long tcpSeq = -1;
    long tcpAck = -1;
    int payloadLen = -1;
    long payloadHash;
    int payloadHashed;

    long firstRxNs = Long.MAX_VALUE;
    long lastTxNs = Long.MIN_VALUE;   // the last hand-over to a device (TX, not TX_DONE)
    long lastDeliverNs = Long.MIN_VALUE;

    /** The last drop with a reason, else the last NOT_SPECIFIED free. */
    long dropNs = Long.MIN_VALUE;
    String dropReason;
    String dropLocation;
    String dropFunc;

    /** Some event carried conntrack's view (this host NATs the packet); some carried it encapsulated (VXLAN). */
    boolean natSeen;
    boolean encapsulated;

    int[] tokens = new int[6];
    long[] tokenNs = new long[6];

    Segment(int host, long packetId, int generation) {
        this.host = host;
        this.packetId = packetId;
        this.generation = generation;
    }

    /** Whether a stored event of this host's packet id belongs to this generation (by its time). */
    boolean holds(long timeNs) {
        return timeNs >= firstNs && timeNs <= lastNs;
    }

    void add(long timeNs, int token, int eventRoles) {
        if (events == tokens.length) {
            tokens = Arrays.copyOf(tokens, events * 2);
            tokenNs = Arrays.copyOf(tokenNs, events * 2);
        }
        tokens[events] = token;
        tokenNs[events] = timeNs;
        events++;
        firstNs = Math.min(firstNs, timeNs);
        lastNs = Math.max(lastNs, timeNs);
        roles |= eventRoles;
        if ((eventRoles & ProbeRoles.RX) != 0) {
            firstRxNs = Math.min(firstRxNs, timeNs);
        }
        if ((eventRoles & ProbeRoles.TX) != 0) {
            lastTxNs = Math.max(lastTxNs, timeNs);
        }
        if ((eventRoles & ProbeRoles.DELIVER) != 0) {
            lastDeliverNs = Math.max(lastDeliverNs, timeNs);
        }
    }

    /** A free with a reason; a real drop outranks a NOT_SPECIFIED one, a later one an earlier one. */
    void drop(long timeNs, String reason, String func, String location) {
        boolean specified = !ProbeRoles.NOT_SPECIFIED.equals(reason);
        boolean haveSpecified = dropReason != null && !ProbeRoles.NOT_SPECIFIED.equals(dropReason);
        if (dropReason == null || specified && !haveSpecified || specified == haveSpecified && timeNs >= dropNs) {
            dropNs = timeNs;
            dropReason = reason;
            dropFunc = func;
            dropLocation = location;
        }
    }

    boolean hasSpecifiedDrop() {
        return dropReason != null && !ProbeRoles.NOT_SPECIFIED.equals(dropReason);
    }

    void keys(long joinKey, boolean hasAlt, long altKey, boolean hasFlow, long flowKey) {
        joinKeys = addDistinct(joinKeys, joinKey);
        if (hasAlt) {
            altKeys = addDistinct(altKeys, altKey);
        }
        if (hasFlow) {
            flowKeys = addDistinct(flowKeys, flowKey);
        }
    }

    boolean hasKey(long key) {
        for (long k : joinKeys) {
            if (k == key) {
                return true;
            }
        }
        return false;
    }

    private static long[] addDistinct(long[] keys, long key) {
        for (long k : keys) {
            if (k == key) {
                return keys;
            }
        }
        long[] more = Arrays.copyOf(keys, keys.length + 1);
        more[keys.length] = key;
        return more;
    }

    /** A key that cannot tell this packet from the next one of its flow: no IPv4 ID (IPv6), or ID 0. */
    boolean weak() {
        return ipId <= 0;
    }

    boolean isTcpWithPayload() {
        return tcpSeq >= 0 && payloadLen > 0;
    }

    /** The path's tokens in time order (events of one segment mostly arrive in order already). */
    void sortPath() {
        for (int i = 1; i < events; i++) {
            if (tokenNs[i] < tokenNs[i - 1]) {
                sortPathSlow();
                return;
            }
        }
    }

    private void sortPathSlow() {
        Integer[] order = new Integer[events];
        for (int i = 0; i < events; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(tokenNs[a], tokenNs[b]));
        int[] t = new int[events];
        long[] ns = new long[events];
        for (int i = 0; i < events; i++) {
            t[i] = tokens[order[i]];
            ns[i] = tokenNs[order[i]];
        }
        tokens = t;
        tokenNs = ns;
    }

    /** Once the path is in order: its times are no longer needed, nor the spare room of its array. */
    void trim() {
        if (tokens.length > events + 2) {
            tokens = Arrays.copyOf(tokens, events);
        }
        tokenNs = null;
    }
}
