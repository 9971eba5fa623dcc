package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;

/**
 * The benchmark's peer: the same rows COPY'd straight into the same table and indexes, with nothing
 * else (no WebSocket, no JSON, no validation, no counters, no acknowledgements) — the ceiling ingest is
 * measured against.
 */
public final class RawCopy {
    private RawCopy() {}

    /** The COPY text of {@code events} rows for one session and host, in batches of {@code batchSize}. */
    public static List<String> encode(List<Event> events, long session, long host, int batchSize) {
        java.util.ArrayList<String> batches = new java.util.ArrayList<>();
        for (int from = 0; from < events.size(); from += batchSize) {
            StringBuilder text = new StringBuilder();
            for (Event e : events.subList(from, Math.min(events.size(), from + batchSize))) {
                EventRows.append(text, session, host, e);
            }
            batches.add(text.toString());
        }
        return batches;
    }

    /** COPYs one batch of rows (from {@link #encode}) into {@code events} on this connection. */
    public static void copy(Connection c, String batch) throws SQLException, java.io.IOException {
        ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI().copyIn("copy events (" + EventRows.COLUMNS
                + ") from stdin", new java.io.ByteArrayInputStream(batch.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                1 << 20);
    }

    /**
     * COPYs each writer's batches on its own connection, one transaction per batch, writers in parallel.
     *
     * @return seconds from the first COPY to the last commit
     */
    public static double run(String jdbcUrl, List<List<String>> perWriter) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(perWriter.size());
        try {
            List<Connection> connections = new java.util.ArrayList<>();
            for (int i = 0; i < perWriter.size(); i++) {
                Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                c.setAutoCommit(false);
                connections.add(c);
            }
            long start = System.nanoTime();
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < perWriter.size(); i++) {
                Connection c = connections.get(i);
                List<String> batches = perWriter.get(i);
                done.add(pool.submit(() -> {
                    for (String batch : batches) {
                        ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI().copyIn(
                                "copy events (" + EventRows.COLUMNS + ") from stdin",
                                new java.io.ByteArrayInputStream(batch.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                                1 << 20);
                        c.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Connection c : connections) {
                c.close();
            }
            return seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Creates a bare session with its partition and {@code hosts} host rows, for the raw COPY to fill: one
     * session, as the agents' events go into one session.
     *
     * @return the session id, then the host ids
     */
    public static long[] prepare(String jdbcUrl, String hostPrefix, int hosts) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            long[] ids = new long[hosts + 1];
            try (var s = c.createStatement(); var r = s.executeQuery(
                    "insert into sessions (state, created_by) values ('stopped', 'bench') returning id")) {
                r.next();
                ids[0] = r.getLong(1);
            }
            for (int i = 1; i <= hosts; i++) {
                try (var s = c.createStatement(); var r = s.executeQuery(
                        "insert into hosts (name) values ('" + hostPrefix + "-" + i + "') returning id")) {
                    r.next();
                    ids[i] = r.getLong(1);
                }
            }
            try (var s = c.createStatement()) {
                s.execute("create table events_s" + ids[0] + " partition of events for values in (" + ids[0] + ")");
            }
            return ids;
        }
    }
}
