package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.server.agents.Clocks;
import java.io.IOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Pages through a session's stored events in time order with a keyset cursor, so page 10,000 costs what
 * page 1 does. Events come back in the agent's contract v1 with {@code host} and {@code session} added.
 */
@Service
public class EventQuery {
    private static final String COLUMNS = "id, host_id, time_ns, ktime_ns, boot_id::text, seq, cpu, process, pid, skb,"
            + " packet_id, probe_type, func, location, drop_reason, netns, mark, ifindex, iface, proto, mtu, len,"
            + " host(saddr), host(daddr), sport, dport, l4_proto, tcp_flags, icmp_type, icmp_code, icmp_id, icmp_seq,"
            + " stack, skb_dump, encode(packet, 'hex'), caller, fp_ip_id, fp_tcp_seq, fp_tcp_ack, fp_payload_len,"
            + " fp_payload_hash, fp_payload_hashed, encap, ct";

    private final JdbcTemplate jdbc;

    EventQuery(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The page as a JSON text {@code {"events":[…],"next":…}}. */
    public String page(long session, EventFilter filter, Map<Long, String> hostNames) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from events where session_id = ?");
        for (String condition : filter.conditions) {
            sql.append(" and ").append(condition);
        }
        sql.append(" order by time_ns, id limit ?");
        Object[] args = new Object[filter.arguments.size() + 2];
        args[0] = session;
        for (int i = 0; i < filter.arguments.size(); i++) {
            args[i + 1] = filter.arguments.get(i);
        }
        args[args.length - 1] = filter.limit + 1;
        EventJson json = new EventJson();
        StringBuilder out = new StringBuilder(filter.limit * 600).append("{\"events\":[");
        long[] last = new long[2];
        int[] count = new int[1];
        jdbc.query(sql.toString(), rs -> {
            if (count[0] == filter.limit) {
                count[0]++;
                return;
            }
            if (count[0]++ > 0) {
                out.append(',');
            }
            last[0] = rs.getLong(3);
            last[1] = rs.getLong(1);
            EventText.appendOpen(out, json, event(rs), hostNames.get(rs.getLong(2)), session).append('}');
        }, args);
        out.append("],\"next\":");
        if (count[0] > filter.limit) {
            out.append('"').append(EventFilter.cursor(last[0], last[1])).append('"');
        } else {
            out.append("null");
        }
        return out.append('}').toString();
    }

    /** Receives the events of {@link #forEach}, one at a time. */
    public interface Sink {
        void accept(long hostId, Event event) throws IOException;
    }

    /** Rows read per query by {@link #forEach}: the connection is given back between pages. */
    static final int STREAM_PAGE = 2_000;

    /**
     * Every event the filter selects, in time order, without holding more than one page in memory: keyset
     * pages of {@value #STREAM_PAGE} rows on (time, id), each read in its own short query, so a slow reader
     * holds no database connection while it writes (downloads of millions of events).
     *
     * @param withPacketOnly only events that carry packet bytes
     */
    public void forEach(long session, EventFilter filter, boolean withPacketOnly, Sink sink) throws IOException {
        long[] last = null;
        while (true) {
            StringBuilder sql = new StringBuilder("select ").append(COLUMNS)
                    .append(" from events where session_id = ?");
            List<Object> args = new ArrayList<>();
            args.add(session);
            for (String condition : filter.conditions) {
                sql.append(" and ").append(condition);
            }
            args.addAll(filter.arguments);
            if (withPacketOnly) {
                sql.append(" and packet is not null");
            }
            if (last != null) {
                sql.append(" and (time_ns, id) > (?, ?)");
                args.add(last[0]);
                args.add(last[1]);
            }
            sql.append(" order by time_ns, id limit ").append(STREAM_PAGE);
            List<long[]> keys = new ArrayList<>(STREAM_PAGE);
            List<Event> events = new ArrayList<>(STREAM_PAGE);
            jdbc.query(sql.toString(), rs -> {
                keys.add(new long[] {rs.getLong(3), rs.getLong(1), rs.getLong(2)});
                events.add(event(rs));
            }, args.toArray());
            for (int i = 0; i < events.size(); i++) {
                sink.accept(keys.get(i)[2], events.get(i));
            }
            if (events.size() < STREAM_PAGE) {
                return;
            }
            last = keys.get(keys.size() - 1);
        }
    }

    /** A stored event and the host it came from. */
    public record Stored(long hostId, Event event) {}

    /**
     * Every event of these packets ({host id, packet id} each: one skb's life on one host), in time order, read
     * through the (host, packet) index.
     */
    public List<Stored> ofPackets(long session, List<long[]> hostPackets) {
        if (hostPackets.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS)
                .append(" from events where session_id = ? and (host_id, packet_id) in (");
        List<Object> args = new ArrayList<>();
        args.add(session);
        for (int i = 0; i < hostPackets.size(); i++) {
            sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
            args.add(hostPackets.get(i)[0]);
            args.add(hostPackets.get(i)[1]);
        }
        sql.append(") order by time_ns, id");
        return jdbc.query(sql.toString(), (rs, n) -> new Stored(rs.getLong(2), event(rs)), args.toArray());
    }

    private static Event event(ResultSet r) throws SQLException {
        Event.Tuple tuple = r.getString(23) == null ? null : new Event.Tuple(r.getString(23), r.getString(24),
                r.getInt(25), r.getInt(26), r.getString(27), r.getString(28));
        Event.Icmp icmp = r.getObject(29) == null ? null
                : new Event.Icmp(r.getInt(29), r.getInt(30), r.getInt(31), r.getInt(32));
        Array stack = r.getArray(33);
        List<String> frames = stack == null ? null : Arrays.asList((String[]) stack.getArray());
        return Event.builder().time(Clocks.instant(r.getLong(3))).ktimeNs(r.getLong(4)).bootId(r.getString(5))
                .seq(r.getLong(6)).cpu(r.getInt(7)).process(r.getString(8)).pid(r.getInt(9))
                .skb("0x" + Long.toHexString(r.getLong(10))).packetId(r.getLong(11))
                .probeType(Event.ProbeType.values()[r.getShort(12)]).func(r.getString(13)).location(r.getString(14))
                .dropReason(r.getString(15)).netns(r.getLong(16)).mark(r.getLong(17)).ifindex(r.getInt(18))
                .iface(r.getString(19)).proto(r.getInt(20)).mtu(r.getInt(21)).len(r.getInt(22)).tuple(tuple)
                .icmp(icmp).stack(frames).skbDump(r.getString(34)).packet(r.getString(35)).caller(r.getString(36))
                .fp(fingerprint(r)).encap(EventParts.encap(r.getString(43))).ct(EventParts.ct(r.getString(44)))
                .build();
    }

    /** The fingerprint columns (37..42) as the contract's object; null when the event had none. */
    private static Event.Fingerprint fingerprint(ResultSet r) throws SQLException {
        r.getInt(42);
        if (r.wasNull()) {
            return null;
        }
        long hash = r.getLong(41);
        boolean hashed = !r.wasNull();
        return new Event.Fingerprint((Integer) r.getObject(37), (Long) r.getObject(38), (Long) r.getObject(39),
                (Integer) r.getObject(40), hashed ? Event.Fingerprint.hashText(hash) : null, r.getInt(42));
    }
}
