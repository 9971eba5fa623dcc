package io.skbtrail.agent.link;

import io.skbtrail.agent.output.JsonPrinter;
import io.skbtrail.agent.output.OutputOptions;
import io.skbtrail.agent.output.OutputSink;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.SummaryRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Sessions without a kernel, for unit tests: "probes" whose events a test feeds in, printed through the
 * real {@link JsonPrinter} into the session's sink with the {@code --output-limit-lines} the session asked.
 */
final class FakeArmer implements SessionArmer {
    final List<List<String>> armedWith = new CopyOnWriteArrayList<>();
    final Map<Long, Probes> probes = new ConcurrentHashMap<>();
    volatile String refusal;
    /** Arming waits until this is false (a slow attach), or until cancelled. */
    volatile boolean slowArm;

    static Event event(int n) {
        return Event.builder().time(Instant.parse("2026-11-25T10:00:00Z").plusMillis(n)).ktimeNs(n).bootId("boot")
                .seq(n).process("test").skb("0xffff000000000001").packetId(n).probeType(Event.ProbeType.TRACEPOINT)
                .func("net:netif_receive_skb").tuple("10.231.1.1", 1000 + n, "10.231.1.2", 9999, "udp").build();
    }

    @Override
    public SessionProbes arm(long session, List<String> traceArgs, BooleanSupplier cancelled)
            throws SessionRefusedException {
        armedWith.add(traceArgs);
        while (slowArm) {
            if (cancelled.getAsBoolean()) {
                throw new SessionRefusedException("stopped while attaching");
            }
            sleep(5);
        }
        if (refusal != null) {
            throw new SessionRefusedException(refusal);
        }
        long limit = traceArgs.stream().filter(a -> a.startsWith("--output-limit-lines="))
                .mapToLong(a -> Long.parseLong(a.substring(a.indexOf('=') + 1))).findFirst().orElse(0);
        Probes p = new Probes(limit);
        probes.put(session, p);
        return p;
    }

    Probes awaitProbes(long session) {
        for (int i = 0; i < 1000 && !probes.containsKey(session); i++) {
            sleep(5);
        }
        Probes p = probes.get(session);
        if (p == null) {
            throw new AssertionError("session " + session + " was never armed");
        }
        return p;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One session's fake probes. */
    static final class Probes implements SessionProbes {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final List<List<String>> updates = new CopyOnWriteArrayList<>();
        final long limit;
        volatile boolean enabled;
        volatile boolean closed;
        volatile boolean failTracing;
        private volatile boolean stop;
        private volatile long delivered;

        Probes(long limit) {
            this.limit = limit;
        }

        @Override
        public String backend() {
            return "fake";
        }

        @Override
        public int probes() {
            return 3;
        }

        @Override
        public List<String> notTraced() {
            return List.of("tcp:tcp_bad_csum: not in this kernel");
        }

        @Override
        public void enable() {
            enabled = true;
        }

        @Override
        public void update(List<String> traceArgs) {
            updates.add(traceArgs);
        }

        @Override
        public Outcome trace(OutputSink sink) throws IOException {
            JsonPrinter printer = new JsonPrinter(OutputOptions.defaults().withJson(true).withLimitLines(limit), sink);
            boolean limitReached = false;
            while (!stop && !limitReached) {
                Event e;
                try {
                    e = events.poll(5, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ex) {
                    throw new IOException(ex);
                }
                if (failTracing) {
                    throw new IOException("the ring buffer went away");
                }
                if (e == null) {
                    printer.flush();
                    continue;
                }
                delivered++;
                limitReached = !printer.print(e);
            }
            printer.flush();
            return new Outcome(summary(printer.printed()), limitReached);
        }

        private SummaryRecord summary(long printed) {
            return new SummaryRecord(Instant.now(), "fake", 3, delivered, delivered, printed,
                    Map.of("kernel_ringbuf", 0L, "rate_limit", 0L), 1_000_000);
        }

        @Override
        public void stop() {
            stop = true;
        }

        @Override
        public long matched() {
            return delivered;
        }

        @Override
        public Map<String, Long> lost() {
            return Map.of("kernel_ringbuf", 0L, "rate_limit", 0L);
        }

        @Override
        public SummaryRecord summaryAfterFailure() {
            return summary(0);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
