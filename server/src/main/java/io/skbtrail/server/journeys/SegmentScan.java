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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a session's events once, in one sequential pass over its partition, and sums them up per segment
 * ({@code host, packet_id}). The pass and the session's event count are read in one snapshot, so the join
 * knows exactly which events it covers.
 */
final class SegmentScan {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int FETCH = 20_000;

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
        try (PreparedStatement s = c.prepareStatement("select host_id, packet_id, time_ns, func, location, drop_reason,"
                + " join_key, alt_key, flow_key, fp_ip_id, fp_tcp_seq, fp_tcp_ack, fp_payload_len, fp_payload_hash,"
                + " fp_payload_hashed, l4_proto, saddr, daddr, sport, dport, encap, ct is not null"
                + " from events where session_id = ?")) {
            s.setFetchSize(FETCH);
            s.setLong(1, session);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long hostId = r.getLong(1);
                    Integer host = hostIndex.get(hostId);
                    if (host == null) {
                        // events of a host the session no longer lists (cannot happen: rows cascade); skip
                        continue;
                    }
                    Segment seg = table.get(host, r.getLong(2));
                    long t = r.getLong(3);
                    String func = r.getString(4);
                    String location = r.getString(5);
                    String drop = r.getString(6);
                    String tokenText = drop == null ? func : func + "(" + drop + ")";
                    Integer token = tokenIds.get(tokenText);
                    if (token == null) {
                        token = tokens.size();
                        tokens.add(tokenText);
                        tokenIds.put(tokenText, token);
                    }
                    int roles = ProbeRoles.of(func, location, drop);
                    seg.add(t, token, roles);
                    if (drop != null) {
                        seg.drop(t, drop, func, location);
                    }
                    long joinKey = r.getLong(7);
                    if (!r.wasNull()) {
                        long alt = r.getLong(8);
                        Long altKey = r.wasNull() ? null : alt;
                        long flow = r.getLong(9);
                        Long flowKey = r.wasNull() ? null : flow;
                        seg.keys(joinKey, altKey, flowKey);
                        if (t < seg.fpNs) {
                            fingerprint(seg, r, t);
                        }
                    }
                    String encap = r.getString(21);
                    if (encap != null && seg.vni == null || t < seg.tupleNs) {
                        tuple(seg, r, t, encap == null ? null : JSON.readTree(encap));
                    }
                    if (r.getBoolean(22)) {
                        seg.natSeen = true;
                    }
                }
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

    private static void fingerprint(Segment seg, ResultSet r, long t) throws SQLException {
        seg.fpNs = t;
        int ipId = r.getInt(10);
        seg.ipId = r.wasNull() ? null : ipId;
        long seq = r.getLong(11);
        seg.tcpSeq = r.wasNull() ? -1 : seq;
        long ack = r.getLong(12);
        seg.tcpAck = r.wasNull() ? -1 : ack;
        int len = r.getInt(13);
        seg.payloadLen = r.wasNull() ? -1 : len;
        seg.payloadHash = r.getLong(14);
        seg.payloadHashed = r.getInt(15);
    }

    /** The earliest tuple (the inner one when encapsulated), and the VXLAN network of any encapsulated sighting. */
    private static void tuple(Segment seg, ResultSet r, long t, JsonNode encap) throws SQLException {
        if (encap != null && seg.vni == null && encap.path("vni").isNumber()) {
            seg.vni = encap.path("vni").asLong();
        }
        if (t >= seg.tupleNs) {
            return;
        }
        JsonNode inner = encap == null ? null : encap.path("tuple");
        if (inner != null && inner.isObject()) {
            seg.tupleNs = t;
            seg.proto = inner.path("proto").asString(null);
            seg.saddr = inner.path("saddr").asString(null);
            seg.daddr = inner.path("daddr").asString(null);
            seg.sport = inner.path("sport").asInt(0);
            seg.dport = inner.path("dport").asInt(0);
            return;
        }
        String saddr = r.getString(17);
        if (saddr == null || encap != null) {
            return;
        }
        seg.tupleNs = t;
        seg.proto = r.getString(16);
        seg.saddr = saddr;
        seg.daddr = r.getString(18);
        seg.sport = r.getInt(19);
        seg.dport = r.getInt(20);
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
            Segment seg = new Segment(host, packetId);
            keys[i] = key;
            values[i] = seg;
            order.add(seg);
            if (order.size() * 2 > keys.length) {
                grow();
            }
            return seg;
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
