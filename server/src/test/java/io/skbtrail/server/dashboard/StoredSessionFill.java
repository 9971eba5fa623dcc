package io.skbtrail.server.dashboard;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Fills a stopped session with many events quickly, for the dashboard benchmark: the session's (empty)
 * partition is detached and replaced by a plain table filled with {@code INSERT … SELECT … FROM
 * generate_series}, which is then attached as the session's partition — PostgreSQL builds the partition's six
 * indexes once, sorted, instead of row by row. The events are shaped like the synthetic agent's (a tracepoint
 * trace of TCP traffic, six probe points per packet, every twentieth packet dropped), 20,000 events/s of event
 * time ending now. The session's counters (events, drops, first and last event) are set as ingest would have.
 */
final class StoredSessionFill {
    private static final long STEP_NS = 50_000; // 20,000 events/s
    private static final long CHUNK = 1_000_000;
    private static final String FUNCS = "array['net:net_dev_queue', 'net:net_dev_start_xmit', 'net:net_dev_xmit',"
            + " 'net:netif_receive_skb', 'skb:skb_copy_datagram_iovec', 'skb:consume_skb']";

    /** Seconds each step took, and the partition's size with its indexes. */
    record Result(long events, long drops, double insertSeconds, double attachSeconds, double analyzeSeconds,
            long bytes) {
        String describe() {
            return String.format(Locale.ROOT, "rows %.0f s, attaching with its 6 indexes %.0f s, analyze %.0f s;"
                    + " %,d MiB with indexes", insertSeconds, attachSeconds, analyzeSeconds, bytes >> 20);
        }
    }

    private StoredSessionFill() {}

    static Result fill(String jdbcUrl, long session, String hostName, long count) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            long host;
            try (PreparedStatement s = c.prepareStatement("select id from hosts where name = ?")) {
                s.setString(1, hostName);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    host = r.getLong(1);
                }
            }
            String table = "events_s" + session;
            long t0 = System.currentTimeMillis() * 1_000_000L - count * STEP_NS;
            long skbBase = Long.parseUnsignedLong("ffff8b7d00000000", 16);
            String boot = UUID.randomUUID().toString();
            try (Statement s = c.createStatement()) {
                s.execute("set maintenance_work_mem = '1GB'");
                s.execute("alter table events detach partition " + table);
                s.execute("drop table " + table);
                s.execute("create table " + table + " (like events including defaults)");
            }
            long start = System.nanoTime();
            for (long from = 0; from < count; from += CHUNK) {
                long to = Math.min(count, from + CHUNK) - 1;
                try (Statement s = c.createStatement()) {
                    s.execute("insert into " + table + " (session_id, host_id, time_ns, ktime_ns, boot_id, seq, cpu,"
                            + " process, pid, skb, packet_id, probe_type, func, location, drop_reason, netns, mark, ifindex,"
                            + " iface, proto, mtu, len, saddr, daddr, sport, dport, l4_proto, tcp_flags)"
                            + " select " + session + ", " + host + ", " + t0 + " + g * " + STEP_NS + ", 1000000000 + g * "
                            + STEP_NS + ", '" + boot + "', g + 1, (g % 2)::int, 'synthetic', 4242, " + skbBase
                            + " + ((g / 6) * 256) % 4294967296, g / 6 + 1, 0,"
                            + " case when d then 'skb:kfree_skb' else (" + FUNCS + ")[(g % 6) + 1] end,"
                            + " case when d then 'nf_hook_slow' end, case when d then 'NETFILTER_DROP' end,"
                            + " 4026531840, 0, 2, 'eth0', 2048, 1500, 1448, ('10.0.' || ((g / 6) % 200) || '.1')::inet,"
                            + " inet '10.1.0.2', (40000 + (g / 6) % 20000)::int, 5201, 'tcp', ''"
                            + " from (select g, (g / 6) % 20 = 19 and g % 6 = 5 as d"
                            + " from generate_series(" + from + "::bigint, " + to + "::bigint) g) rows");
                }
                System.err.printf("bench: filled %,d of %,d events%n", to + 1, count);
            }
            double insert = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("alter table events attach partition " + table + " for values in (" + session + ")");
            }
            double attach = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("analyze " + table);
            }
            double analyze = (System.nanoTime() - start) / 1e9;

            long lastPacket = count >= 6 ? (count - 6) / 6 : -1; // 0-based packets with all six events
            long drops = lastPacket >= 19 ? (lastPacket - 19) / 20 + 1 : 0;
            try (Statement s = c.createStatement()) {
                s.execute("update session_hosts set events = " + count + ", drops = " + drops
                        + ", first_event = to_timestamp(" + t0 + " / 1e9), last_event = to_timestamp("
                        + (t0 + (count - 1) * STEP_NS) + " / 1e9) where session_id = " + session + " and host_id = " + host);
                s.execute("update sessions set event_count = " + count + " where id = " + session);
                if (drops > 0) {
                    s.execute("insert into session_drop_counts (session_id, host_id, reason, count) values (" + session
                            + ", " + host + ", 'NETFILTER_DROP', " + drops + ") on conflict (session_id, host_id, reason)"
                            + " do update set count = excluded.count");
                }
            }
            long bytes;
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select pg_total_relation_size('" + table + "')")) {
                r.next();
                bytes = r.getLong(1);
            }
            return new Result(count, drops, insert, attach, analyze, bytes);
        }
    }
}
