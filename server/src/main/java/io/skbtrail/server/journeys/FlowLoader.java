package io.skbtrail.server.journeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads journeys' flows when they are first shown: the tuple each lane was first seen with (the inner one where
 * the packet was encapsulated) and the VXLAN network, through the (host, packet) index for a page of journeys, or
 * in one pass over the session for a diff of whole sessions. The join itself never needs tuples: its keys hold
 * them.
 */
final class FlowLoader {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAIRS_PER_QUERY = 500;
    private static final String COLUMNS = "host_id, packet_id, time_ns, l4_proto, host(saddr), host(daddr), sport,"
            + " dport, encap";

    private FlowLoader() {}

    /** What one segment showed: its earliest tuple and its VXLAN network. */
    private static final class Seen {
        long at = Long.MAX_VALUE;
        String proto;
        String saddr;
        String daddr;
        int sport;
        int dport;
        Long vni;
    }

    /** Fills in the flows of these journeys that have none yet. */
    static void load(DataSource dataSource, JoinedSession joined, Collection<Journey> journeys) throws SQLException {
        List<Journey> missing = new ArrayList<>();
        List<long[]> pairs = new ArrayList<>();
        for (Journey j : journeys) {
            if (j.flow == null) {
                missing.add(j);
                for (Segment s : j.lanes) {
                    pairs.add(new long[] {joined.hostId(s), s.packetId});
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Map<Segment, Seen> seen = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < pairs.size(); from += PAIRS_PER_QUERY) {
                List<long[]> part = pairs.subList(from, Math.min(pairs.size(), from + PAIRS_PER_QUERY));
                StringBuilder sql = new StringBuilder("select ").append(COLUMNS)
                        .append(" from events where session_id = ? and (saddr is not null or encap is not null)"
                                + " and (host_id, packet_id) in (");
                for (int i = 0; i < part.size(); i++) {
                    sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
                }
                try (PreparedStatement s = c.prepareStatement(sql.append(')').toString())) {
                    int p = 1;
                    s.setLong(p++, joined.session);
                    for (long[] pair : part) {
                        s.setLong(p++, pair[0]);
                        s.setLong(p++, pair[1]);
                    }
                    try (ResultSet r = s.executeQuery()) {
                        read(joined, r, seen);
                    }
                }
            }
        }
        for (Journey j : missing) {
            j.flow = flowOf(j, seen);
        }
    }

    /** Fills in every journey's flow, in one pass over the session's events. */
    static void loadAll(DataSource dataSource, JoinedSession joined) throws SQLException {
        if (joined.flowsLoaded) {
            return;
        }
        Map<Segment, Seen> seen = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("select " + COLUMNS
                    + " from events where session_id = ? and (saddr is not null or encap is not null)")) {
                s.setFetchSize(20_000);
                s.setLong(1, joined.session);
                try (ResultSet r = s.executeQuery()) {
                    read(joined, r, seen);
                }
                c.commit();
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
        for (Journey j : joined.journeys) {
            if (j.flow == null) {
                j.flow = flowOf(j, seen);
            }
        }
        joined.flowsLoaded = true;
    }

    private static void read(JoinedSession joined, ResultSet r, Map<Segment, Seen> seen) throws SQLException {
        long lastHostId = Long.MIN_VALUE;
        int host = -1;
        while (r.next()) {
            long hostId = r.getLong(1);
            if (hostId != lastHostId) {
                host = joined.hostIndex(hostId);
                lastHostId = hostId;
            }
            long t = r.getLong(3);
            Segment seg = host < 0 ? null : joined.segmentAt(host, r.getLong(2), t);
            if (seg == null) {
                continue; // stored after the join: not in any journey yet
            }
            Seen s = seen.computeIfAbsent(seg, k -> new Seen());
            String encap = r.getString(9);
            if (encap == null && (t >= s.at)) {
                continue;
            }
            JsonNode inner = null;
            if (encap != null) {
                JsonNode e = JSON.readTree(encap);
                if (s.vni == null && e.path("vni").isNumber()) {
                    s.vni = e.path("vni").asLong();
                }
                inner = e.path("tuple");
                if (t >= s.at) {
                    continue;
                }
            }
            if (inner != null && inner.isObject()) {
                s.at = t;
                s.proto = inner.path("proto").asString(null);
                s.saddr = inner.path("saddr").asString(null);
                s.daddr = inner.path("daddr").asString(null);
                s.sport = inner.path("sport").asInt(0);
                s.dport = inner.path("dport").asInt(0);
            } else if (encap == null && r.getString(5) != null) {
                s.at = t;
                s.proto = r.getString(4);
                s.saddr = r.getString(5);
                s.daddr = r.getString(6);
                s.sport = r.getInt(7);
                s.dport = r.getInt(8);
            }
        }
    }

    private static Flow flowOf(Journey j, Map<Segment, Seen> seen) {
        Seen first = null;
        Long vni = null;
        for (Segment lane : j.lanes) {
            Seen s = seen.get(lane);
            if (s == null) {
                continue;
            }
            if (first == null && s.saddr != null) {
                first = s;
            }
            if (vni == null) {
                vni = s.vni;
            }
        }
        if (first == null) {
            return vni == null ? Flow.NONE : new Flow(null, null, null, 0, 0, vni);
        }
        return new Flow(first.proto, first.saddr, first.daddr, first.sport, first.dport, vni);
    }
}
