package io.skbtrail.server.fleet;

import io.skbtrail.agent.link.AgentLink;
import io.skbtrail.agent.link.FilterScope;
import io.skbtrail.agent.link.HostIdentity;
import io.skbtrail.agent.link.LinkSettings;
import io.skbtrail.agent.link.ServerAddress;
import io.skbtrail.agent.link.SessionArmer;
import io.skbtrail.agent.link.SessionProbes;
import io.skbtrail.agent.output.OutputSink;
import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.SummaryRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A synthetic agent, for the dashboard benchmark: the node agent's real link ({@link AgentLink}: hello, batches,
 * outbox, acknowledgements) in a process of its own, whose "probes" make events at a fixed rate instead of
 * reading a kernel. Each event's {@code time} is this machine's wall clock when the event is made, so a browser
 * on the same machine can tell how long the event took to reach its screen. The events are shaped like a
 * tracepoint trace of TCP traffic ({@link Recording#event}), process {@code synthetic}; the host registers as
 * {@code --name} (the bench names it {@code synthetic-…}) with kernel and backend {@code synthetic}.
 *
 * <pre>java -cp … io.skbtrail.server.fleet.SyntheticAgent --server URL --token T --name NAME --rate EVENTS_PER_S</pre>
 */
public final class SyntheticAgent {
    /** The kernel, backend and agent version it reports: no one can take it for a real host. */
    public static final String KIND = "synthetic";

    private SyntheticAgent() {}

    public static void main(String[] args) {
        String server = arg(args, "--server");
        String token = arg(args, "--token");
        String name = arg(args, "--name");
        long rate = Long.parseLong(arg(args, "--rate"));
        HostIdentity host = new HostIdentity(name, Map.of("agent", KIND), UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), KIND, System.getProperty("os.arch"), KIND, KIND,
                List.of(new AgentFrame.Backend(KIND, true, null)), 8);
        LinkSettings settings = new LinkSettings(ServerAddress.linkUri(server), token, FilterScope.ANY, List.of(),
                100, 4096, 1_000_000);
        String boot = host.bootId();
        AgentLink link = new AgentLink(settings, host, (session, traceArgs, cancelled) -> new Paced(rate, boot),
                System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(link::requestShutdown));
        System.exit(link.run());
    }

    /** Starts one as a process of its own (this JVM's classpath); its log goes to a temporary file. */
    public static Process start(String server, String token, String name, long rate) throws IOException {
        Path log = Files.createTempFile("skbtrail-synthetic-" + name, ".log");
        log.toFile().deleteOnExit();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), SyntheticAgent.class.getName(),
                "--server", server, "--token", token, "--name", name, "--rate", Long.toString(rate)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Ends a process from {@link #start}: SIGTERM (the link says goodbye), then SIGKILL if it lingers. */
    public static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(15, TimeUnit.SECONDS);
        }
    }

    private static String arg(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new IllegalArgumentException("SyntheticAgent needs " + name);
    }

    /**
     * One session's events: as many as are due at {@code rate} since the session started, made and written
     * every half millisecond, each stamped with the wall clock as it is made. Stops when the server stops the
     * session.
     */
    private static final class Paced implements SessionProbes {
        private final long rate;
        private final String boot;
        private volatile boolean stopped;
        private volatile long made;

        Paced(long rate, String boot) {
            this.rate = rate;
            this.boot = boot;
        }

        @Override public String backend() { return KIND; }
        @Override public int probes() { return 0; }
        @Override public List<String> notTraced() { return List.of(); }
        @Override public void enable() {}
        @Override public void update(List<String> traceArgs) {}
        @Override public void stop() { stopped = true; }
        @Override public long matched() { return made; }
        @Override public Map<String, Long> lost() { return Map.of(); }
        @Override public SummaryRecord summaryAfterFailure() { return summary(); }
        @Override public void close() {}

        @Override
        public Outcome trace(OutputSink sink) throws IOException {
            EventJson json = new EventJson();
            StringBuilder line = new StringBuilder(1024);
            long start = System.nanoTime();
            long n = 0;
            while (!stopped) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                while (n < due && !stopped) {
                    line.setLength(0);
                    json.appendTo(line, Recording.event(n, boot, Instant.now(), System.nanoTime(), KIND)).append('\n');
                    sink.write(line);
                    made = ++n;
                }
                sink.flush();
                LockSupport.parkNanos(500_000);
            }
            return new Outcome(summary(), false);
        }

        private SummaryRecord summary() {
            return new SummaryRecord(Instant.now(), KIND, 0, made, made, made, Map.of(), 0);
        }
    }
}
