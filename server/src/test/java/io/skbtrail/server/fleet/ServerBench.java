package io.skbtrail.server.fleet;

import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.protocol.Event;
import io.skbtrail.server.events.RawCopy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The server benchmark ({@code scripts/bench-server}); prints Markdown for BENCHMARKS.md.
 * <ol>
 *   <li>Ingest: agent processes replay a recording into a session (WebSocket, JSON, validation, COPY,
 *       counters, acknowledgements), against the same rows COPY'd raw into the same table by as many
 *       connections, in the same run on the same database.
 *   <li>Latency from the kernel event to the stored row, with real agents tracing real traffic.
 *   <li>Start: from {@code POST /api/sessions} to every agent armed, with three real agents.
 * </ol>
 */
public final class ServerBench {
    private static final Pattern JDBC_URL = Pattern.compile("Database: (jdbc:postgresql://[^ ]+)");

    private ServerBench() {}

    public static void main(String[] args) throws Exception {
        int agents = intArg(args, "--agents", 3);
        int perAgent = intArg(args, "--events", 500_000);
        int rounds = intArg(args, "--rounds", 3);
        int warmups = intArg(args, "--warmup-sessions", 5);
        int latencySeconds = intArg(args, "--latency-seconds", 20);
        int latencyRate = intArg(args, "--latency-rate", 2000);
        int armRuns = intArg(args, "--arm-runs", 10);
        int viewers = intArg(args, "--live-viewers", 0);
        Set<String> parts = new LinkedHashSet<>(partsArg(args));
        // The older way to leave parts out, still understood: --arm-runs 0, --latency-seconds 0, --rounds 0.
        if (armRuns <= 0) {
            parts.remove("arming");
        }
        if (latencySeconds <= 0) {
            parts.remove("latency");
        }
        if (rounds <= 0) {
            parts.remove("ingest");
        }
        try (ServerProcess server = new ServerProcess()) {
            server.start();
            Api admin = new Api(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
            String token = admin.post("/api/agent-tokens", "{\"host\":null}").body().get("token").asString();
            Matcher m = JDBC_URL.matcher(server.logText());
            if (!m.find()) {
                throw new IllegalStateException("no JDBC URL in the server log");
            }
            String jdbc = m.group(1);
            // The fleet first: ingest leaves PostgreSQL busy (checkpoints, autovacuum) for a while.
            if (parts.contains("arming") || parts.contains("latency")) {
                try (Fleet3 fleet = new Fleet3(server, admin, token)) {
                    if (parts.contains("arming")) {
                        arming(fleet, armRuns);
                    }
                    if (parts.contains("latency")) {
                        latency(fleet, latencySeconds, latencyRate);
                    }
                }
            }
            if (parts.contains("ingest")) {
                ingest(server, admin, token, jdbc, agents, perAgent, rounds, warmups, viewers);
            }
        }
    }

    private static void ingest(ServerProcess server, Api admin, String token, String jdbc, int agents, int perAgent,
            int rounds, int warmups, int viewers) throws Exception {
        List<Event> events = Recording.generate(perAgent);
        Path file = Recording.write(events);
        // The agents live through all rounds, as agents do: a replay agent replays the recording into every
        // session it is given. Unmeasured sessions first, so that neither the server's nor the agents' JIT
        // compilers are measured (they take most of a core for tens of seconds after a JVM starts).
        String label = "bench-" + System.nanoTime() % 100000;
        List<AgentProcessOnHost> replays = new ArrayList<>();
        try {
            for (int i = 0; i < agents; i++) {
                replays.add(AgentProcessOnHost.replay(server.url(), token, label + "-" + i, file, "bench=" + label));
            }
            awaitOnline(admin, label, agents);
            for (int i = 0; i < warmups; i++) {
                throughLink(server, admin, replays, label, agents, perAgent, viewers);
            }
            System.out.printf("%n### Ingest: %d agent processes × %,d recorded events into one session, in the shipped"
                    + " schema and indexes, %d live viewer(s) of every event%n%n", agents, perAgent, viewers);
            System.out.println("| round | raw COPY (events/s): before / after | through the agent link (events/s)"
                    + " | share of raw | share by CPU | CPU µs/event, raw: PostgreSQL | link: PostgreSQL | server | agents"
                    + " | others' CPU (raw / link) |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (int round = 1; round <= rounds; round++) {
                // Raw COPY just before and just after the ingest, compared with their mean: a drift in the
                // machine's other load then does not favour one side.
                Phase before = rawCopy(server, jdbc, events, agents, round + "a");
                Phase link = throughLink(server, admin, replays, label, agents, perAgent, viewers);
                Phase after = rawCopy(server, jdbc, events, agents, round + "b");
                Phase raw = Phase.mean(before, after);
                double total = (double) agents * perAgent;
                System.out.printf(Locale.ROOT, "| %d | %,.0f / %,.0f | %,.0f | %.0f %% | %.0f %% | %.1f | %.1f | %.1f | %.1f"
                                + " | %.0f %% / %.0f %% |%n",
                        round, before.rate(total), after.rate(total), link.rate(total),
                        100 * link.rate(total) / raw.rate(total), 100 * raw.cpu() / link.cpu(),
                        raw.postgres * 1e6 / total, link.postgres * 1e6 / total, link.server * 1e6 / total,
                        link.agents * 1e6 / total, raw.othersShare(), link.othersShare());
            }
        } finally {
            for (AgentProcessOnHost r : replays) {
                r.close();
            }
        }
    }

    /**
     * A phase's wall-clock seconds and CPU seconds by party; for raw COPY, "agents" is the benchmark's own
     * JVM writing the rows.
     */
    private record Phase(double seconds, double postgres, double server, double agents, double machine) {
        static Phase mean(Phase a, Phase b) {
            return new Phase((a.seconds + b.seconds) / 2, (a.postgres + b.postgres) / 2, (a.server + b.server) / 2,
                    (a.agents + b.agents) / 2, (a.machine + b.machine) / 2);
        }

        double rate(double events) {
            return events / seconds;
        }

        /** CPU seconds of every party of the phase. */
        double cpu() {
            return postgres + server + agents;
        }

        /** Busy CPU of processes outside the benchmark, as a share of the machine's cores over the phase. */
        double othersShare() {
            double cores = Runtime.getRuntime().availableProcessors();
            double others = machine - postgres - server - agents;
            return Math.max(0, 100 * others / (seconds * cores));
        }
    }

    /** The same rows COPY'd straight into a fresh session's partition; "agents" is the benchmark's own JVM. */
    private static Phase rawCopy(ServerProcess server, String jdbc, List<Event> events, int agents, String round)
            throws Exception {
        List<List<String>> raw = new ArrayList<>();
        long[] ids = RawCopy.prepare(jdbc, "raw-" + round, agents);
        for (int i = 0; i < agents; i++) {
            raw.add(RawCopy.encode(events, ids[0], ids[i + 1], 4096));
        }
        long self = ProcessHandle.current().pid();
        double pg0 = CpuTime.ofPostgres(server.dataDir());
        double server0 = CpuTime.of(server.pid());
        double self0 = CpuTime.of(self);
        double machine0 = CpuTime.machine();
        double seconds = RawCopy.run(jdbc, raw);
        return new Phase(seconds, CpuTime.ofPostgres(server.dataDir()) - pg0, CpuTime.of(server.pid()) - server0,
                CpuTime.of(self) - self0, CpuTime.machine() - machine0);
    }

    /** The replay agents into one new session, from its creation to the last event counted, then stopped. */
    private static Phase throughLink(ServerProcess server, Api admin, List<AgentProcessOnHost> replays, String label,
            int agents, int perAgent, int viewers) throws Exception {
        double pg0 = CpuTime.ofPostgres(server.dataDir());
        double server0 = CpuTime.of(server.pid());
        double agents0 = 0;
        for (AgentProcessOnHost r : replays) {
            agents0 += CpuTime.of(r.pid());
        }
        double machine0 = CpuTime.machine();
        Instant start = Instant.now();
        long session = admin.post("/api/sessions", "{\"labels\":{\"bench\":\"" + label + "\"}}").body().get("id").asLong();
        long total = (long) agents * perAgent;
        List<BenchViewer> watching = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            watching.add(new BenchViewer(server.url(), "admin", ServerProcess.ADMIN_PASSWORD, session));
        }
        long stored;
        while ((stored = admin.get("/api/sessions/" + session).body().get("events").asLong()) < total) {
            if (Duration.between(start, Instant.now()).toSeconds() > 600) {
                throw new IllegalStateException("ingest did not finish in 10 minutes:\n" + server.logText());
            }
            // Each poll costs the server a request: rarely while far from done, often near the end.
            Thread.sleep(stored < total * 0.95 ? 200 : 10);
        }
        double seconds = Duration.between(start, Instant.now()).toNanos() / 1e9;
        double agentsCpu = -agents0;
        for (AgentProcessOnHost r : replays) {
            agentsCpu += CpuTime.of(r.pid());
        }
        // The benchmark's own status polling counts as load from elsewhere: it is small and not ingest's.
        Phase phase = new Phase(seconds, CpuTime.ofPostgres(server.dataDir()) - pg0,
                CpuTime.of(server.pid()) - server0, agentsCpu, CpuTime.machine() - machine0);
        for (BenchViewer v : watching) {
            boolean all = v.awaitAll(total, 60);
            System.out.printf(Locale.ROOT, "live viewer: %,d events received, %,d dropped, %,d missed%s%n",
                    v.received(), v.dropped(), v.missed(), all ? "" : " (not all accounted for after 60 s)");
            v.close();
        }
        admin.post("/api/sessions/" + session + "/stop", "");
        while (!admin.get("/api/sessions/" + session).body().get("state").asString().equals("stopped")) {
            if (Duration.between(start, Instant.now()).toSeconds() > 660) {
                throw new IllegalStateException("session " + session + " did not stop:\n" + server.logText());
            }
            Thread.sleep(50);
        }
        return phase;
    }

    private static void awaitOnline(Api admin, String labelValue, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            int online = 0;
            for (JsonNode h : admin.get("/api/hosts").body()) {
                if (labelValue.equals(h.get("labels").path("bench").asString(null)) && h.get("state").asString().equals("online")) {
                    online++;
                }
            }
            if (online == count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(online + " of " + count + " agents online after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Sessions on the three namespace hosts: from the session's creation to the last host's "armed", by the
     * server's clock; per host, the same to its own "armed", and the agent's own arming time (from its log).
     */
    private static void arming(Fleet3 fleet, int runs) throws Exception {
        List<Double> millis = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        String loadBefore = loadAverage();
        for (int i = 0; i < runs; i++) {
            long session = fleet.fleet.startSession("");
            fleet.fleet.awaitTracing(session, List.of("h1", "h2", "h3"));
            JsonNode detail = fleet.fleet.session(session);
            Instant created = Instant.parse(detail.get("createdAt").asString());
            Instant last = created;
            StringBuilder hosts = new StringBuilder();
            for (String role : List.of("h1", "h2", "h3")) {
                for (JsonNode h : detail.get("hosts")) {
                    if (!h.get("host").asString().equals(fleet.fleet.hostName(role))) {
                        continue;
                    }
                    Instant armed = Instant.parse(h.get("armedAt").asString());
                    last = armed.isAfter(last) ? armed : last;
                    Matcher m = Pattern.compile("session " + session + ": armed .* in (\\d+) ms \\(CPU (\\d+) ms\\)")
                            .matcher(fleet.fleet.agents.get(role).log());
                    hosts.append(String.format(Locale.ROOT, " %.0f (%s) |", Duration.between(created, armed).toNanos() / 1e6,
                            m.find() ? m.group(1) + ", CPU " + m.group(2) : "?"));
                }
            }
            double total = Duration.between(created, last).toNanos() / 1e6;
            millis.add(total);
            rows.add(String.format(Locale.ROOT, "| %d | %.0f |%s", i + 1, total, hosts));
            fleet.fleet.stopAndAwait(session);
        }
        String loadAfter = loadAverage();
        List<Double> sorted = new ArrayList<>(millis);
        sorted.sort(Double::compare);
        System.out.printf(Locale.ROOT, "%n### Start → all 3 agents armed (tracepoint backend), %d sessions%n%n", runs);
        System.out.printf(Locale.ROOT, "Load average (1, 5, 15 min) before: %s; after: %s%n%n", loadBefore, loadAfter);
        System.out.println("| session | all 3 armed (ms) | h1: armed (agent's own arming, its CPU) | h2 | h3 |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%n| median | max |%n|---|---|%n| %.0f ms | %.0f ms |%n",
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    /** The machine's load average, as /proc/loadavg gives it (1, 5, 15 minutes). */
    private static String loadAverage() throws java.io.IOException {
        String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return fields[0] + ", " + fields[1] + ", " + fields[2];
    }

    /** Real traffic through the three hosts, traced by the three agents; the server's latency histogram. */
    private static void latency(Fleet3 fleet, int seconds, int rate) throws Exception {
        long session = fleet.fleet.startSession("");
        fleet.fleet.awaitTracing(session, List.of("h1", "h2", "h3"));
        // The first 3 s are not measured: the agents', the server's and the sender's own JVM (which shares the
        // two cores) run their first seconds of events in the JIT's early tiers.
        Thread sender = new Thread(() -> send(fleet, rate, 3 + seconds), "udp-sender");
        sender.start();
        Thread.sleep(3000);
        fleet.fleet.admin.post("/api/ingest/reset", "");
        sender.join();
        Thread.sleep(2000);
        JsonNode stats = fleet.fleet.admin.get("/api/ingest").body();
        fleet.fleet.stopAndAwait(session);
        System.out.printf(Locale.ROOT, "%n### Kernel event → stored row, %d datagrams/s for %d s through 3 traced hosts"
                + " (agent batches every 100 ms)%n%n", rate, seconds);
        System.out.println("| events stored | p50 | p90 | p99 | max |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %,d | ≤ %d ms | ≤ %d ms | ≤ %d ms | ≤ %d ms |%n", stats.get("events").asLong(),
                stats.get("latencyP50Ms").asLong(), stats.get("latencyP90Ms").asLong(),
                stats.get("latencyP99Ms").asLong(), stats.get("latencyMaxMs").asLong());
    }

    /** {@code rate} UDP datagrams per second from h1 through h2 to h3's dropped port, for {@code seconds}. */
    private static void send(Fleet3 fleet, int rate, int seconds) {
        NetnsLab.exec(fleet.fleet.netns.get("h1"), "java -cp " + System.getProperty("java.class.path")
                + " io.skbtrail.agent.bench.UdpSender " + Fleet.H3_ADDRESS + " " + Fleet.DROPPED_PORT + " " + rate + " "
                + seconds);
    }

    /** {@code --only arming,latency,ingest} (any of them; default all). */
    private static Set<String> partsArg(String[] args) {
        Set<String> all = Set.of("arming", "latency", "ingest");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--only")) {
                Set<String> parts = new LinkedHashSet<>(List.of(args[i + 1].split(",")));
                if (parts.isEmpty() || !all.containsAll(parts)) {
                    throw new IllegalArgumentException("--only takes arming, latency and/or ingest, not " + args[i + 1]);
                }
                return parts;
            }
        }
        return all;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    /** The three namespace hosts of the fleet tests, on an already running server. */
    private static final class Fleet3 implements AutoCloseable {
        final Fleet fleet;

        Fleet3(ServerProcess server, Api admin, String token) throws Exception {
            fleet = new Fleet(server, admin, token);
        }

        @Override
        public void close() throws InterruptedException {
            fleet.closeAgentsAndLab();
        }
    }
}
