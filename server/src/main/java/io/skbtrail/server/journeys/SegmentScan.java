package io.skbtrail.server.journeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.postgresql.core.BaseConnection;

/**
 * Reads a session's events once, in one sequential pass over its partition, and sums them up per segment
 * ({@code host, packet_id}). The pass and the session's event count are read in one snapshot, so the join
 * knows exactly which events it covers. Only what the join needs is read (keys, fingerprint, probe point, drop);
 * tuples are read later for the journeys that are shown ({@link FlowLoader}).
 */
final class SegmentScan {
    /** What the pass found. */
    record Scanned(long events, List<HostClock> hosts, List<Segment> segments, List<String> tokens) {}

    private SegmentScan() {}

    static Scanned scan(DataSource dataSource, long session) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                Scanned scanned = scan(c, session);
                c.commit();
                return scanned;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** A probe point's token and roles, for the rows without a drop or a socket location. */
    private record Point(int token, int roles) {}

    private static Scanned scan(Connection c, long session) throws SQLException {
        long events;
        try (PreparedStatement s = c.prepareStatement("select event_count from sessions where id = ?")) {
            s.setLong(1, session);
            try (ResultSet r = s.executeQuery()) {
                events = r.next() ? r.getLong(1) : 0;
            }
        }
        List<HostClock> hosts = SessionClocks.read(c, session);
        Map<Long, Integer> hostIndex = new HashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            hostIndex.put(hosts.get(i).hostId(), i);
        }
        SegmentTable table = new SegmentTable();
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> tokenIds = new HashMap<>();
        Map<String, Point> points = new HashMap<>();
        long lastHostId = Long.MIN_VALUE;
        int host = -1;
        String sql = "copy (select host_id, packet_id, time_ns, func, location, drop_reason, join_key, alt_key,"
                + " flow_key, fp_ip_id, fp_tcp_seq, fp_tcp_ack, fp_payload_len, fp_payload_hash, fp_payload_hashed,"
                + " encap is not null, ct is not null from events where session_id = " + session
                + ") to stdout (format binary)";
        CopyOut copy = new CopyManager(c.unwrap(BaseConnection.class)).copyOut(sql);
        try {
            BinaryCopyReader r = new BinaryCopyReader(copy);
            while (r.next()) {
                long hostId = r.getLong(1);
                if (hostId != lastHostId) {
                    Integer h = hostIndex.get(hostId);
                    lastHostId = hostId;
                    host = h == null ? -1 : h;
                }
                if (host < 0) {
                    continue; // a host the session does not list (cannot happen: its rows cascade)
                }
                Segment seg = table.get(host, r.getLong(2));
                long t = r.getLong(3);
                if (!r.isNull(7)) {
                    long signature = signature(r);
                    if (seg.signed && seg.signature != signature) {
                        seg = table.nextGeneration(seg);
                    }
                    seg.signature = signature;
                    seg.signed = true;
                }
                String func = r.getInterned(4);
                String location = r.getInterned(5);
                String drop = r.getInterned(6);
                int token;
                int roles;
                if (drop == null && location == null) {
                    Point p = points.get(func);
                    if (p == null) {
                        p = new Point(token(func, tokens, tokenIds), ProbeRoles.of(func, null, null));
                        points.put(func, p);
                    }
                    token = p.token();
                    roles = p.roles();
                } else {
                    token = token(drop == null ? func : func + "(" + drop + ")", tokens, tokenIds);
                    roles = ProbeRoles.of(func, location, drop);
                }
                seg.add(t, token, roles);
                if (drop != null) {
                    seg.drop(t, drop, func, location);
                }
                if (!r.isNull(7)) {
                    seg.keys(r.getLong(7), !r.isNull(8), r.getLong(8), !r.isNull(9), r.getLong(9));
                    if (t < seg.fpNs) {
                        seg.fpNs = t;
                        seg.ipId = r.isNull(10) ? -1 : r.getInt(10);
                        seg.tcpSeq = r.isNull(11) ? -1 : r.getLong(11);
                        seg.tcpAck = r.isNull(12) ? -1 : r.getLong(12);
                        seg.payloadLen = r.isNull(13) ? -1 : r.getInt(13);
                        seg.payloadHash = r.getLong(14);
                        seg.payloadHashed = r.getInt(15);
                    }
                }
                if (r.getBoolean(16)) {
                    seg.encapsulated = true;
                }
                if (r.getBoolean(17)) {
                    seg.natSeen = true;
                }
            }
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        List<Segment> segments = table.all();
        for (int i = 0; i < segments.size(); i++) {
            Segment seg = segments.get(i);
            seg.index = i;
            seg.sortPath();
            seg.trim();
        }
        return new Scanned(events, hosts, segments, tokens);
    }

    /**
     * What one packet keeps along its way through one host, NAT and VXLAN included: IPv4 ID, TCP sequence and
     * acknowledgement numbers, payload length (not the payload hash: hooks may capture different amounts of it).
     */
    private static long signature(BinaryCopyReader r) {
        long h = r.isNull(10) ? -1 : r.getLong(10);
        h = h * 0x9E3779B97F4A7C15L + (r.isNull(11) ? -1 : r.getLong(11));
        h = h * 0x9E3779B97F4A7C15L + (r.isNull(12) ? -1 : r.getLong(12));
        return h * 0x9E3779B97F4A7C15L + (r.isNull(13) ? -1 : r.getLong(13));
    }

    private static int token(String text, List<String> tokens, Map<String, Integer> ids) {
        Integer id = ids.get(text);
        if (id == null) {
            id = tokens.size();
            tokens.add(text);
            ids.put(text, id);
        }
        return id;
    }

    /** Segments by (host, packet id): an open-addressing table, as this runs once per stored event. */
    private static final class SegmentTable {
        private long[] keys = new long[1 << 16];
        private Segment[] values = new Segment[1 << 16];
        private final List<Segment> order = new ArrayList<>();

        Segment get(int host, long packetId) {
            long key = packetId * 1024 + host + 1; // never 0: 0 marks a free slot
            int mask = keys.length - 1;
            int i = (int) (mix(key) & mask);
            while (keys[i] != 0) {
                if (keys[i] == key && values[i].host == host && values[i].packetId == packetId) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            Segment seg = new Segment(host, packetId, 0);
            keys[i] = key;
            values[i] = seg;
            order.add(seg);
            if (order.size() * 2 > keys.length) {
                grow();
            }
            return seg;
        }

        /** Starts the next packet under the segment's packet id; it is what {@link #get} returns from now on. */
        Segment nextGeneration(Segment current) {
            Segment next = new Segment(current.host, current.packetId, current.generation + 1);
            current.next = next;
            order.add(next);
            long key = current.packetId * 1024 + current.host + 1;
            int mask = keys.length - 1;
            for (int i = (int) (mix(key) & mask); keys[i] != 0; i = (i + 1) & mask) {
                if (values[i] == current) {
                    values[i] = next;
                    return next;
                }
            }
            throw new IllegalStateException("segment not in the table");
        }

        private void grow() {
            long[] oldKeys = keys;
            Segment[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new Segment[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != 0) {
                    int i = (int) (mix(oldKeys[j]) & mask);
                    while (keys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    values[i] = oldValues[j];
                }
            }
        }

        List<Segment> all() {
            return order;
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
            return z ^ (z >>> 33);
        }
    }
}
