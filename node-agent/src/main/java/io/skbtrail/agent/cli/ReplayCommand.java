package io.skbtrail.agent.cli;

import io.skbtrail.agent.event.HostFacts;
import io.skbtrail.agent.link.AgentLink;
import io.skbtrail.agent.link.EncodedEventsSink;
import io.skbtrail.agent.link.HostIdentity;
import io.skbtrail.agent.link.LinkSettings;
import io.skbtrail.agent.link.SessionArmer;
import io.skbtrail.agent.link.SessionProbes;
import io.skbtrail.agent.output.OutputSink;
import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.SummaryRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code skbtrail-agent replay FILE --server URL [connect flags]}: an agent whose "probes" are a recording
 * (NDJSON events, as {@code trace --output-json} writes them). Each session the server starts receives the
 * recording's events as fast as the link takes them, through the same batching, buffer and
 * acknowledgements as live events. For load tests and benchmarks of a server; needs no root or BPF.
 */
final class ReplayCommand {
    private final PrintStream err;
    private final Supplier<StopSignal> stopSignal;
    private final Map<String, String> env;

    ReplayCommand(PrintStream err, Supplier<StopSignal> stopSignal, Map<String, String> env) {
        this.err = err;
        this.stopSignal = stopSignal;
        this.env = env;
    }

    int run(String[] args) throws IOException {
        if (args.length < 2 || args[1].startsWith("--")) {
            throw new UsageException("replay needs a recording: skbtrail-agent replay FILE --server URL [flags]");
        }
        Path file = Path.of(args[1]);
        List<String> events = Files.readAllLines(file).stream().filter(l -> l.startsWith("{\"type\":\"event\""))
                .map(l -> l + "\n").toList();
        String[] connectArgs = new String[args.length - 1];
        connectArgs[0] = "connect";
        System.arraycopy(args, 2, connectArgs, 1, args.length - 2);
        ConnectCommand.Request request = ConnectCommand.parse(
                Flags.parse(connectArgs, 1, ConnectCommand.FLAGS), env);
        err.println("skbtrail-agent: replaying " + events.size() + " events from " + file + " in every session");
        HostIdentity host = new HostIdentity(request.name(), request.labels(), UUID.randomUUID().toString(),
                HostFacts.bootId(), "replay", System.getProperty("os.arch"), "replay", "replay",
                List.of(new AgentFrame.Backend("replay", true, null)), ConnectCommand.MAX_SESSIONS);
        LinkSettings settings = new LinkSettings(request.server(), request.token(), request.scope(), List.of(),
                request.batchMillis(), request.batchEvents(), request.bufferEvents());
        AgentLink link = new AgentLink(settings, host, new Recording(events, encode(events, request.batchEvents())), err);
        stopSignal.get().onStop(link::requestShutdown);
        return link.run();
    }

    /**
     * The recording's event lines in UTF-8, a batch's worth per array: encoded once, as the agents this
     * command stands in for would spend their own machines' CPU on it, not the server's.
     */
    private static List<Chunk> encode(List<String> events, int batchEvents) {
        List<Chunk> chunks = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int from = 0; from < events.size(); from += batchEvents) {
            List<String> part = events.subList(from, Math.min(events.size(), from + batchEvents));
            text.setLength(0);
            part.forEach(text::append);
            chunks.add(new Chunk(text.toString().getBytes(StandardCharsets.UTF_8), part.size()));
        }
        return chunks;
    }

    private record Chunk(byte[] lines, int events) {}

    /** Arms every session with the same recording. */
    private record Recording(List<String> events, List<Chunk> chunks) implements SessionArmer {
        @Override
        public SessionProbes arm(long session, List<String> traceArgs, BooleanSupplier cancelled) {
            return new Replay(events, chunks);
        }
    }

    /** Plays the recording once into the session's batches, then ends as a stopped trace would. */
    private static final class Replay implements SessionProbes {
        private final List<String> events;
        private final List<Chunk> chunks;
        private final long started = System.nanoTime();
        private volatile boolean stopped;
        private volatile long played;

        Replay(List<String> events, List<Chunk> chunks) {
            this.events = events;
            this.chunks = chunks;
        }

        @Override public String backend() { return "replay"; }
        @Override public int probes() { return 0; }
        @Override public List<String> notTraced() { return List.of(); }
        @Override public void enable() {}
        @Override public void update(List<String> traceArgs) {}
        @Override public void stop() { stopped = true; }
        @Override public long matched() { return events.size(); }
        @Override public Map<String, Long> lost() { return Map.of(); }
        @Override public SummaryRecord summaryAfterFailure() { return summary(); }
        @Override public void close() {}

        @Override
        public Outcome trace(OutputSink sink) throws IOException {
            if (sink instanceof EncodedEventsSink encoded) {
                for (Chunk chunk : chunks) {
                    if (stopped) {
                        break;
                    }
                    encoded.writeEncodedEvents(chunk.lines(), chunk.events());
                    played += chunk.events();
                }
            } else {
                for (String line : events) {
                    if (stopped) {
                        break;
                    }
                    sink.write(line);
                    played++;
                }
            }
            sink.flush();
            while (!stopped) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                sink.flush();
            }
            return new Outcome(summary(), false);
        }

        private SummaryRecord summary() {
            return new SummaryRecord(Instant.now(), "replay", 0, events.size(), played, played, Map.of(),
                    System.nanoTime() - started);
        }
    }
}
