package io.skbtrail.server.fleet;

import io.skbtrail.protocol.Event;
import io.skbtrail.server.events.RawCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The journeys benchmark ({@code scripts/bench-journeys}); prints Markdown for BENCHMARKS.md. A real server process
 * (embedded PostgreSQL, shipped schema and indexes) gets one session of {@code --events} events (default 1,000,000)
 * from three hosts ({@link JourneyTraffic}), encoded by the ingest's own row encoder (keys included) and COPY'd
 * into the session's partition; then, through the HTTP API as a client sees it: the full join (the first list
 * request, and recomputations), the first page of the list and filtered pages warm, and single journeys warm.
 */
public final class JourneyBench {
    private static final Pattern JDBC_URL = Pattern.compile("Database: (jdbc:postgresql://[^ ]+)");

    private JourneyBench() {}

    public static void main(String[] args) throws Exception {
        int total = intArg(args, "--events", 1_000_000);
        int joins = intArg(args, "--joins", 3);
        int runs = intArg(args, "--runs", 30);
        try (ServerProcess server = new ServerProcess()) {
            server.start();
            Api admin = new Api(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
            Matcher m = JDBC_URL.matcher(server.logText());
            if (!m.find()) {
                throw new IllegalStateException("no JDBC URL in the server log");
            }
            String jdbc = m.group(1);
            System.out.printf(Locale.ROOT, "%nLoad average before: %s%n", load());
            long[] ids = prepare(jdbc);
            long session = ids[0];
            long copyStart = System.nanoTime();
            long stored = fill(jdbc, ids, total);
            double copySeconds = (System.nanoTime() - copyStart) / 1e9;
            System.out.printf(Locale.ROOT, "Stored %,d events (%,d packets) in session %d by COPY in %.1f s%n", stored,
                    lastPackets, session, copySeconds);

            if (java.util.Arrays.asList(args).contains("--hold")) {
                System.out.println("holding: " + jdbc + " session " + session + " server " + server.url());
                Thread.sleep(Long.MAX_VALUE);
            }
            String list = "/api/sessions/" + session + "/journeys";
            List<Double> joinWall = new ArrayList<>();
            List<Double> joinServer = new ArrayList<>();
            JsonNode first = null;
            for (int i = 0; i < joins; i++) {
                if (i > 0) {
                    bumpCount(jdbc, session); // one more event counted than joined: the next request joins again
                }
                long t0 = System.nanoTime();
                first = get(admin, list + "?limit=100");
                joinWall.add((System.nanoTime() - t0) / 1e6);
                joinServer.add(first.get("join").get("millis").asDouble());
            }
            JsonNode join = first.get("join");
            System.out.printf(Locale.ROOT, "Join: %,d events → %,d segments → %,d journeys%n", join.get("events").asLong(),
                    join.get("segments").asLong(), join.get("journeys").asLong());
            printStates(admin, list);

            List<Double> page = time(runs, () -> get(admin, list + "?limit=100"));
            List<Double> dropped = time(runs, () -> get(admin, list + "?limit=100&state=dropped&host=" + hostName(1)));
            List<Double> pair = time(runs, () -> get(admin, list + "?limit=100&state=delivered&host=" + hostName(0)
                    + "&host2=" + hostName(2)));
            String middle = cursorAt(admin, list, 20);
            List<Double> deep = time(runs, () -> get(admin, list + "?limit=100&after=" + middle));

            List<String> sample = new ArrayList<>();
            String after = null;
            for (int p = 0; p < 10 && sample.size() < 50; p++) {
                JsonNode pg = get(admin, list + "?limit=1000" + (after == null ? "" : "&after=" + after));
                for (int k = 0; k < pg.get("journeys").size(); k += 200) {
                    sample.add(pg.get("journeys").get(k).get("id").asString());
                }
                after = pg.get("next").asString(null);
                if (after == null) {
                    break;
                }
            }
            List<Double> firstSight = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            for (String id : sample) {
                firstSight.addAll(time(1, () -> get(admin, list + "/" + id)));
                warm.addAll(time(3, () -> get(admin, list + "/" + id)));
            }
            System.out.printf(Locale.ROOT, "%n### Journeys of one session: %,d events from 3 hosts%n%n", stored);
            System.out.println("| measure | median | p90 | max | target |");
            System.out.println("|---|---|---|---|---|");
            row("full join (first list request, as the client waits)", joinWall.subList(0, 1), "≤ 5 s");
            row("full join, computed again (" + (joins - 1) + "×, as the client waits)", joinWall.subList(1, joinWall.size()), "≤ 5 s");
            row("full join, the server's own time (" + joins + "×)", joinServer, "≤ 5 s");
            row("first page of the list, 100 journeys, warm (" + runs + "×)", page, "≤ 300 ms");
            row("page: state=dropped&host=router (" + runs + "×)", dropped, "≤ 300 ms");
            row("page: state=delivered&host=a&host2=b (" + runs + "×)", pair, "≤ 300 ms");
            row("page 21 (after= cursor) (" + runs + "×)", deep, "≤ 300 ms");
            row("one journey, first request (" + sample.size() + " journeys)", firstSight, "");
            row("one journey, warm (" + sample.size() + " journeys × 3)", warm, "≤ 100 ms");
            System.out.printf(Locale.ROOT, "%nLoad average after: %s (2 cores)%n", load());
            for (String line : server.logText().split("\n")) {
                if (line.contains("joined into")) {
                    System.out.println("server: " + line.substring(line.indexOf("session ")));
                }
            }
        }
    }

    private static long lastPackets;

    private static String hostName(int host) {
        return "bench-" + RUN + "-" + JourneyTraffic.HOSTS[host];
    }

    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

    /** A session (stopped) and its three hosts, their clocks as measured, and its partition: {session, host ids}. */
    private static long[] prepare(String jdbc) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
            long[] ids = new long[4];
            try (ResultSet r = s.executeQuery("insert into sessions (state, created_by, filter, ended_at)"
                    + " values ('stopped', 'bench', 'udp or tcp', now()) returning id")) {
                r.next();
                ids[0] = r.getLong(1);
            }
            s.execute("create table events_s" + ids[0] + " partition of events for values in (" + ids[0] + ")");
            for (int h = 0; h < 3; h++) {
                try (ResultSet r = s.executeQuery("insert into hosts (name) values ('" + hostName(h) + "') returning id")) {
                    r.next();
                    ids[h + 1] = r.getLong(1);
                }
                try (PreparedStatement p = c.prepareStatement("insert into session_hosts (session_id, host_id, state,"
                        + " backend, probes, clock_offset_ns, clock_uncertainty_ns) values (?, ?, 'done', 'tracepoint', 21, ?, ?)")) {
                    p.setLong(1, ids[0]);
                    p.setLong(2, ids[h + 1]);
                    p.setLong(3, JourneyTraffic.OFFSET_NS[h]);
                    p.setLong(4, JourneyTraffic.UNCERTAINTY_NS[h]);
                    p.executeUpdate();
                }
            }
            return ids;
        }
    }

    /** Generates and COPYs events until {@code total}, per host in batches of 4,096 rows, one transaction each. */
    private static long fill(String jdbc, long[] ids, int total) throws Exception {
        JourneyTraffic traffic = new JourneyTraffic(Instant.parse("2026-11-25T15:00:00Z"));
        List<List<Event>> pending = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long[] stored = new long[1];
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            c.setAutoCommit(false);
            while (traffic.events < total) {
                traffic.next((host, e) -> pending.get(host).add(e));
                for (int h = 0; h < 3; h++) {
                    if (pending.get(h).size() >= 4096) {
                        stored[0] += copy(c, ids[0], ids[h + 1], pending.get(h));
                    }
                }
            }
            for (int h = 0; h < 3; h++) {
                stored[0] += copy(c, ids[0], ids[h + 1], pending.get(h));
            }
            try (PreparedStatement p = c.prepareStatement("update sessions set event_count = ? where id = ?")) {
                p.setLong(1, stored[0]);
                p.setLong(2, ids[0]);
                p.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("vacuum analyze events_s" + ids[0]);
            }
        }
        lastPackets = traffic.packets;
        return stored[0];
    }

    private static long copy(Connection c, long session, long host, List<Event> events) throws Exception {
        int n = events.size();
        for (String batch : RawCopy.encode(events, session, host, 4096)) {
            RawCopy.copy(c, batch);
            c.commit();
        }
        events.clear();
        return n;
    }

    private static void bumpCount(String jdbc, long session) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
                PreparedStatement p = c.prepareStatement("update sessions set event_count = event_count + 1 where id = ?")) {
            p.setLong(1, session);
            p.executeUpdate();
        }
    }

    private static void printStates(Api admin, String list) throws Exception {
        StringBuilder s = new StringBuilder("Journeys by state (first page of each):");
        for (String state : new String[] {"delivered", "forwarded", "dropped", "unknown"}) {
            JsonNode page = get(admin, list + "?limit=1&state=" + state);
            s.append(' ').append(state).append(page.get("journeys").isEmpty() ? " none" : " yes");
        }
        System.out.println(s);
    }

    private static String cursorAt(Api admin, String list, int pages) throws Exception {
        String after = null;
        for (int p = 0; p < pages; p++) {
            JsonNode page = get(admin, list + "?limit=100" + (after == null ? "" : "&after=" + after));
            after = page.get("next").asString(null);
        }
        return after;
    }

    private static JsonNode get(Api admin, String path) throws Exception {
        Api.Response r = admin.get(path);
        if (r.status() != 200) {
            throw new IllegalStateException(path + ": " + r.status() + " " + r.text());
        }
        return r.body();
    }

    interface Call {
        void run() throws Exception;
    }

    private static List<Double> time(int runs, Call call) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            call.run();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return ms;
    }

    private static void row(String what, List<Double> ms, String target) {
        List<Double> sorted = new ArrayList<>(ms);
        sorted.sort(Double::compare);
        double median = sorted.get(sorted.size() / 2);
        double p90 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1));
        double max = sorted.get(sorted.size() - 1);
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", what, fmt(median), fmt(p90), fmt(max), target);
    }

    private static String fmt(double ms) {
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
